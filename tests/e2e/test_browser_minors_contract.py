"""Issue 11 in the browser: a child's admission and contract, as the demo secretary of the IME
walks them; a child followed by a SESSAD gets a DIPC.

At IME Les Sources, Léo Garnier (9 years old) comes on a CDAPH orientation « IME ». The demo
secretary admits him on a free place of « Groupe des Petits », records both his parents as
holders of parental authority (exercised jointly, C. civ. 372), generates the contrat de séjour
(a permanent stay: CASF D311 I), records Léo's own opinion (D311 III « L'avis du mineur doit
être recueilli ») and the signature of his mother with his father's written agreement. The
header names the holders. In a SESSAD, the document of a followed child is a DIPC (D311 II),
drawn up and signed by the director.
"""

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from dui.admissions.models import Contract, ContractKind, OrientationKind
from dui.core import dates
from dui.people.models import AuthorityExercise, ParentalAuthority, Relationship
from dui.stays.models import Stay
from tests.admissions.helpers import TO_ACCEPTED, new_application, orient
from tests.e2e.browser import demo_log_in, field, log_in, seed_demo_staff
from tests.factories import (
    EstablishmentFactory,
    PersonFactory,
    PlaceFactory,
    UnitFactory,
    professional,
)
from tests.people.entourage_factories import ContactFactory


def record_holder(page: Page, person, holder: str, relation: str) -> None:
    page.goto(f"/usagers/{person.public_id}/entourage/")
    page.get_by_role("link", name="Enregistrer un titulaire de l'autorité parentale").click()
    page.get_by_label(field("Qualité")).select_option(label="Parent")
    page.get_by_label(field("Titulaire")).select_option(label=holder)
    page.get_by_label(field("Lien avec l'enfant")).select_option(label=relation)
    page.get_by_label(field("Exercice de l'autorité parentale")).select_option(
        label="Exercice en commun"
    )
    page.get_by_label(field("Depuis le")).fill(person.birth_date.isoformat())
    page.get_by_role("button", name="Enregistrer").click()


def test_a_child_admitted_to_the_ime_with_both_parents_and_a_sessad_dipc(new_page, settings):
    users = seed_demo_staff(settings)
    secretary_user = users["secretaire.ime"]
    ime = secretary_user.assignments.first().establishment
    today = dates.today()

    child = PersonFactory(
        birth_name="GARNIER",
        first_names="Léo",
        sex="M",
        birth_date=today.replace(year=today.year - 9) - timedelta(days=40),
    )
    mother = ContactFactory(
        person=child, last_name="Garnier", first_name="Sophie", relationship=Relationship.PARENT
    )
    father = ContactFactory(
        person=child, last_name="Garnier", first_name="Thomas", relationship=Relationship.PARENT
    )
    application = new_application(
        secretary_user, ime, person=child, source="mdph", statuses=TO_ACCEPTED
    )
    orient(secretary_user, child, OrientationKind.IME, today)

    # The admission on a free place of the IME, on the CDAPH orientation.
    secretary = demo_log_in(new_page(), secretary_user)
    secretary.goto(f"/sejours/admettre/{application.public_id}/")
    secretary.locator("#pick-unit").select_option(label="Groupe des Petits")
    secretary.get_by_role("button", name="Afficher les places libres").click()
    expect(secretary.get_by_test_id("orientation-warning")).to_have_count(0)
    secretary.locator("[data-testid=place-choice] input[type=radio]:not([disabled])").first.check()
    secretary.get_by_role("main").get_by_role("button", name="Admettre").click()
    expect(secretary.get_by_text(re.compile("est admis"))).to_be_visible()
    stay = Stay.objects.get(person=child)
    assert stay.establishment == ime

    # Both parents hold parental authority, exercised jointly; the header names them.
    record_holder(secretary, child, "GARNIER Sophie (parent)", "Mère")
    record_holder(secretary, child, "GARNIER Thomas (parent)", "Père")
    holders = ParentalAuthority.objects.filter(person=child)
    assert holders.count() == 2
    assert set(holders.values_list("exercise", flat=True)) == {AuthorityExercise.JOINT}
    secretary.goto(f"/usagers/{child.public_id}/")
    expect(secretary.get_by_text(re.compile("Autorité parentale"))).to_be_visible()
    expect(secretary.locator("body")).to_contain_text("GARNIER Sophie")
    expect(secretary.locator("body")).to_contain_text("GARNIER Thomas")

    # The contrat de séjour: generated, the child's opinion, the mother's signature with the
    # father's written agreement.
    secretary.goto(f"/admissions/{child.public_id}/contrat/")
    expect(secretary.get_by_role("heading", name="Contrat de séjour")).to_be_visible()
    secretary.get_by_role("button", name="Générer le PDF").click()
    contract = Contract.objects.get(stay=stay)
    assert contract.kind == ContractKind.CONTRACT and contract.document is not None
    expect(secretary.get_by_test_id("contract-parties")).to_contain_text("GARNIER Sophie")

    # Without the child's opinion the signature is refused, nothing saved.
    sign = secretary.get_by_test_id("contract-sign")
    sign.get_by_label(re.compile("GARNIER Sophie")).first.check()
    sign.get_by_role("button", name="Enregistrer").click()
    expect(
        secretary.get_by_text(re.compile("avis de l'enfant", re.IGNORECASE)).first
    ).to_be_visible()
    assert not contract.signatories.exists()

    opinion = secretary.get_by_test_id("contract-minor_opinion")
    opinion.get_by_label(field("Avis de l'enfant recueilli le")).fill(today.isoformat())
    opinion.get_by_label(field("Ce que l'enfant a exprimé")).fill(
        "Léo a visité le groupe et veut bien venir, il aimerait garder son doudou."
    )
    opinion.get_by_role("button", name="Enregistrer").click()
    expect(secretary.locator("dd").filter(has_text="garder son doudou")).to_be_visible()

    sign = secretary.get_by_test_id("contract-sign")
    sign.get_by_label(field("Signé le")).fill(today.isoformat())
    sign.locator("fieldset, div").filter(has_text="Ont signé").get_by_label(
        re.compile("GARNIER Sophie")
    ).first.check()
    sign.locator("fieldset, div").filter(has_text="accord écrit").get_by_label(
        re.compile("GARNIER Thomas")
    ).first.check()
    sign.get_by_role("button", name="Enregistrer").click()
    expect(secretary.get_by_test_id("contract-signatories")).to_contain_text("GARNIER Sophie")
    contract.refresh_from_db()
    signatories = {s.contact_id: s for s in contract.signatories.all()}
    assert mother.pk in signatories and father.pk in signatories
    assert contract.signatories.filter(contact=mother, signed_on=today).exists()

    # A SESSAD follows a child at home: its document is a DIPC, signed by its director.
    sessad = EstablishmentFactory(
        organisation=ime.organisation, name="SESSAD Les Sources", category="sessad"
    )
    place = PlaceFactory(unit=UnitFactory(establishment=sessad, name="Suivi"), label="S1")
    sessad_secretary = professional(
        username="sec.sessad", profession="secretaire", establishment=sessad
    )
    follow_up = new_application(
        sessad_secretary,
        sessad,
        person=PersonFactory(
            birth_name="NOEL",
            first_names="Inès",
            sex="F",
            birth_date=today.replace(year=today.year - 7),
        ),
        source="mdph",
        statuses=TO_ACCEPTED,
    )
    orient(sessad_secretary, follow_up.person, OrientationKind.SESSAD, today)
    page = log_in(new_page(), sessad_secretary)
    page.goto(f"/sejours/admettre/{follow_up.public_id}/")
    page.locator("[data-testid=place-choice] input[type=radio]:not([disabled])").first.check()
    page.get_by_role("main").get_by_role("button", name="Admettre").click()
    expect(page.get_by_text(re.compile("est admis"))).to_be_visible()
    page.goto(f"/admissions/{follow_up.person.public_id}/contrat/")
    expect(
        page.get_by_role("heading", name="Document individuel de prise en charge (DIPC)")
    ).to_be_visible()
    page.get_by_role("button", name="Générer le PDF").click()
    dipc = Contract.objects.get(stay__person=follow_up.person)
    assert dipc.kind == ContractKind.DIPC and dipc.stay.place == place
