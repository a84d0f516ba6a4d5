"""Opening a person's record in the browser (issue 3).

Martine Bouvier, the demo secretary of EHPAD Les Tilleuls, opens the record of Mrs Marguerite
Lefevre for unit « Les Lilas »: the DUI warns her of a probable duplicate (Mrs Marguerite
Lefèbvre, born the same day), she confirms it is another person and says why, records the
entourage (a son, a daughter designated trusted person), a tutelle exercised by the son,
uploads the identity card and validates the identity. Camille Roussel, the demo nurse of
Les Lilas, then finds Mrs Lefevre by typing part of her name without accents, records her
allergy, and sees it in the header of every page of the record.
"""

import re
from datetime import date

from playwright.sync_api import Page, expect

from dui.core import dates
from dui.demo import data as demo_data
from dui.demo.seeding import DemoSeeder
from dui.people.models import IdentityStatus, Person
from tests.documents.samples import minimal_pdf
from tests.e2e.browser import submit_password
from tests.factories import CareTeamMembershipFactory, PersonFactory, profession


def today() -> str:
    """Today in the establishment's zone, as a date field takes it (asked when typed)."""
    return dates.today().isoformat()


def demo_staff():
    # Professions come from a data migration; a previous browser test may have flushed them.
    for plan in demo_data.STAFF:
        profession(plan.profession)
    seeder = DemoSeeder()
    establishments = seeder.seed_organisation()
    users = seeder.seed_staff()
    return establishments, users


def demo_log_in(page: Page, user) -> Page:
    """Demo logins (make run): the shared demo password, no second factor."""
    submit_password(page, user.username, demo_data.DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ma journée")
    return page


def fill_identity(page: Page) -> None:
    page.get_by_label("Unité qui suit la personne").select_option(label="Les Lilas")
    page.get_by_label("Nom de naissance :", exact=True).fill("Lefevre")
    page.get_by_label("Prénoms de naissance").fill("Marguerite Jeanne")
    # A trait of its own (RNIV 2024): not derived from the list, asked.
    page.get_by_label("Premier prénom de naissance").fill("Marguerite")
    page.get_by_label("Date de naissance").fill("14/05/1938")
    page.get_by_label("Féminin").check()
    # The birthplace is chosen from the INSEE list, found by its name without accents.
    page.get_by_label("cherchez la commune ou le pays par son nom").fill("saint-etienne")
    page.get_by_role("option", name="Saint-Étienne (42, 42218)").click()
    expect(page.get_by_label("Lieu de naissance (code INSEE)")).to_have_value("42218")


def field(label: str) -> re.Pattern:
    """A field's label exactly, whatever the label suffix (« Nom : »)."""
    return re.compile(rf"^{re.escape(label)}\W*$")


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Parties du dossier").get_by_role("link", name=name).click()


def add_contact(page: Page, *, last_name, first_name, relationship, phone, emergency=False):
    page.get_by_role("link", name="Ajouter un proche ou un contact").click()
    page.get_by_label(field("Nom")).fill(last_name)
    page.get_by_label(field("Prénom")).fill(first_name)
    page.get_by_label(field("Lien")).select_option(label=relationship)
    page.get_by_label(field("Téléphone")).fill(phone)
    if emergency:
        page.get_by_label("À prévenir en cas d'urgence").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name=f"{last_name.upper()} {first_name}")).to_be_visible()


def test_the_secretary_opens_a_record_and_the_nurse_finds_it_with_its_allergy(new_page, settings):
    settings.DUI_DEMO_MODE = True
    establishments, users = demo_staff()
    tilleuls = establishments["tilleuls"].establishment
    lilas = establishments["tilleuls"].units["Les Lilas"]
    homonym = PersonFactory(
        birth_name="Lefèbvre", first_names="Marguerite Louise", birth_date=date(1938, 5, 14)
    )
    CareTeamMembershipFactory(person=homonym, establishment=tilleuls, unit=lilas)
    secretary_user = users["secretaire.tilleuls"]
    nurse_user = users["ide.tilleuls"]

    secretary = demo_log_in(new_page(), secretary_user)
    secretary.goto("/usagers/")
    secretary.get_by_role("link", name="Ouvrir le dossier d'une nouvelle personne").click()
    fill_identity(secretary)
    secretary.get_by_role("button", name="Ouvrir le dossier").click()

    # A probable duplicate: same birth date, a birth name one letter away.
    warning = secretary.get_by_test_id("duplicates")
    expect(warning).to_contain_text("Doublon probable")
    expect(warning).to_contain_text("LEFÈBVRE Marguerite")
    expect(warning).to_contain_text("14/05/1938")
    assert Person.objects.count() == 1
    secretary.get_by_label("Pourquoi s'agit-il d'une nouvelle personne ?").fill(
        "Homonyme : Mme Lefèbvre est née à Lyon, Mme Lefevre à Saint-Étienne (carte d'identité)."
    )
    secretary.get_by_role("button", name="Confirmer : c'est une nouvelle personne").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text("LEFEVRE Marguerite")
    expect(secretary.get_by_test_id("identity-status")).to_have_text("Identité provisoire")
    person = Person.objects.get(birth_name="LEFEVRE")

    # Entourage: a son to call in an emergency, a daughter designated trusted person.
    open_tab(secretary, "Entourage et protection")
    add_contact(
        secretary,
        last_name="Lefevre",
        first_name="Paul",
        relationship="Enfant",
        phone="06 12 34 56 78",
        emergency=True,
    )
    add_contact(
        secretary,
        last_name="Martin",
        first_name="Claire",
        relationship="Enfant",
        phone="06 98 76 54 32",
    )
    claire = secretary.get_by_test_id("contact").filter(has_text="MARTIN Claire")
    claire.get_by_role("link", name="Désigner personne de confiance").click()
    secretary.get_by_label("Date de la désignation").fill(today())
    secretary.get_by_role("button", name="Enregistrer la désignation").click()
    expect(secretary.get_by_test_id("header-trusted-person")).to_contain_text("MARTIN Claire")

    # A tutelle exercised by the son: the header says who signs.
    secretary.get_by_role("link", name="Enregistrer une mesure de protection").click()
    secretary.get_by_label(field("Mesure")).select_option(label="Tutelle")
    secretary.get_by_label("Depuis le").fill("2024-09-02")
    secretary.get_by_label("Exercée par").select_option(label="LEFEVRE Paul (enfant)")
    secretary.get_by_label("Juridiction").fill("Tribunal judiciaire de Lyon")
    secretary.get_by_role("button", name="Enregistrer la mesure").click()
    protection = secretary.get_by_test_id("header-protection")
    expect(protection).to_contain_text("Tutelle (LEFEVRE Paul)")
    # Without the judge's decision on personal acts, she consents to her stay herself
    # (C. civ. 459 al. 1, 459-2); the tutor represents her for the fees (473, 474).
    signing = secretary.get_by_test_id("header-signing")
    expect(signing).to_contain_text("La personne signe pour son accueil")
    expect(signing).to_contain_text(
        "LEFEVRE Paul (tuteur) signe au nom de la personne pour les frais de séjour"
    )

    # The identity card, scanned, then checked: the identity is validated.
    open_tab(secretary, "Documents")
    secretary.get_by_label("Type de document").select_option(label="Pièce d'identité")
    secretary.get_by_label("Titre").fill("Carte nationale d'identité")
    secretary.get_by_label("Date du document").fill(today())
    secretary.get_by_label("Fichier").set_input_files(
        {"name": "cni-lefevre.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf()}
    )
    secretary.get_by_role("button", name="Déposer").click()
    expect(secretary.get_by_text("Carte nationale d'identité").first).to_be_visible()

    open_tab(secretary, "Identité")
    secretary.get_by_role("link", name="Enregistrer le contrôle d'une pièce d'identité").click()
    secretary.get_by_label("Document présenté").select_option(label="Carte nationale d'identité")
    secretary.get_by_label("Copie numérisée (onglet Documents)").select_option(index=1)
    secretary.get_by_label("tout correspond au document").check()
    secretary.get_by_role("button", name="Enregistrer le contrôle").click()
    expect(secretary.get_by_test_id("identity-status")).to_have_text("Identité validée")
    person.refresh_from_db()
    assert person.identity_status == IdentityStatus.VALIDATED

    # The nurse of Les Lilas finds her by part of her name, without accents.
    nurse = demo_log_in(new_page(), nurse_user)
    nurse.get_by_role("searchbox", name="Rechercher une personne").fill("lefev marg")
    results = nurse.locator("#search-results")
    expect(results.get_by_role("link", name="LEFÈBVRE Marguerite")).to_have_count(0)
    results.get_by_role("link", name="LEFEVRE Marguerite").click()
    expect(nurse.get_by_role("heading", level=1)).to_have_text("LEFEVRE Marguerite")
    expect(nurse.get_by_test_id("header-badge").first).to_contain_text("Allergies non renseignées")

    open_tab(nurse, "Soins")
    nurse.get_by_role("link", name="Ajouter une allergie ou une intolérance").click()
    nurse.get_by_label("Allergène").fill("Pénicilline")
    nurse.get_by_label("Médicament").check()
    nurse.get_by_label("Sévère (anaphylaxie)").check()
    nurse.get_by_role("button", name="Enregistrer").click()

    # The header of every page of the record shows the allergy, the tutelle, the trusted person.
    for tab in ("Synthèse", "Identité", "Documents"):
        open_tab(nurse, tab)
        expect(nurse.get_by_test_id("header-badge").first).to_contain_text(
            "Allergies : Pénicilline"
        )
        expect(nurse.get_by_test_id("header-protection")).to_contain_text("Tutelle")
        expect(nurse.get_by_test_id("header-trusted-person")).to_contain_text("MARTIN Claire")
