"""Steps 1–3 of the pathway in the browser (issue 4), as a new user would walk them; a
temporary stay with its planned end (issue 11).

At EHPAD Les Tilleuls, the demo secretary logs a phone call from Mrs Claire Roux about her
mother, Mrs Yvonne Roux, converts it into an application, marks it incomplete (medical part
missing); the demo médecin coordonnateur gives the medical opinion; the visit is planned and
reported; the demo director records the acceptance; the secretary admits Mrs Roux on a free
place of « Les Lilas », prints the contract PDF and ticks the welcome checklist; the occupancy
view shows the place taken. A nurse who opens the inquiries reads why she may not (journaled).
"""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from dui.access.models import AccessAction, AccessEvent
from dui.admissions.models import AdmissionRequest, AdmissionStatus, Contract, ContractKind
from dui.core import dates
from dui.organisation.models import PlaceKind
from dui.stays.models import Stay
from tests.admissions.helpers import TO_ACCEPTED, new_application
from tests.e2e.browser import demo_log_in, field, seed_demo_staff
from tests.factories import PersonFactory


def move_to(page: Page, status: str, note: str = "") -> None:
    form = page.get_by_test_id(f"transition-{status}")
    if note and form.locator("textarea").count():
        form.locator("textarea").fill(note)
    form.get_by_role("button").click()


def test_steps_1_to_3_from_a_phone_call_to_the_welcome(new_page, settings):
    users = seed_demo_staff(settings)

    # Step 1: the phone call, logged and converted into an application in one action.
    secretary = demo_log_in(new_page(), users["secretaire.tilleuls"])
    secretary.goto("/admissions/renseignements/nouvelle/")
    secretary.get_by_label(field("Canal")).select_option(label="Téléphone")
    secretary.get_by_label(field("Demandeur")).select_option(label="Un proche")
    secretary.get_by_label(field("Nom du demandeur")).fill("Mme Claire Roux (fille)")
    secretary.get_by_label(field("Nom de naissance")).fill("Roux")
    secretary.get_by_label(field("Prénoms")).fill("Yvonne")
    secretary.get_by_role("button", name="Enregistrer la demande").click()
    expect(secretary.get_by_text("Mme Claire Roux (fille)").first).to_be_visible()

    # A nurse does not read the prospects' identities: she is told why, and it is journaled.
    nurse = demo_log_in(new_page(), users["ide.tilleuls"])
    nurse.goto("/admissions/renseignements/")
    expect(nurse.get_by_text(re.compile("Les demandes de renseignement"))).to_be_visible()
    expect(nurse.get_by_text("Mme Claire Roux (fille)")).to_have_count(0)
    assert AccessEvent.objects.filter(
        user=users["ide.tilleuls"], action=AccessAction.DENIED
    ).exists()

    secretary.get_by_role("link", name=re.compile("Transformer")).first.click()
    secretary.get_by_label(field("Origine")).select_option(label="Demande directe")
    secretary.get_by_label(field("Accueil demandé")).select_option(label="Hébergement permanent")
    secretary.get_by_label(field("Dossier reçu le")).fill(dates.today().isoformat())
    secretary.get_by_label(field("Date de naissance")).fill("1936-02-14")
    secretary.get_by_label(field("Sexe")).select_option(label="Féminin")
    secretary.get_by_role("button", name="Enregistrer la demande d'admission").click()
    expect(secretary.get_by_test_id("application-status")).to_have_text("Reçue")
    request = AdmissionRequest.objects.get()
    url = secretary.url

    # Step 2: incomplete (the medical part is missing), then under evaluation.
    move_to(secretary, AdmissionStatus.INCOMPLETE, "Volet médical du Cerfa 14732 manquant")
    expect(secretary.get_by_test_id("application-status")).to_have_text("Incomplète")
    move_to(secretary, AdmissionStatus.EVALUATION, "Volet médical reçu")
    expect(secretary.get_by_test_id("application-status")).to_have_text("En évaluation")

    doctor = demo_log_in(new_page(), users["medco.tilleuls"])
    doctor.goto(url)
    opinion = doctor.get_by_test_id("opinion-form-medical")
    opinion.get_by_label(field("Conclusion")).select_option(label="Favorable")
    opinion.get_by_label(field("Commentaire")).fill(
        "Troubles cognitifs modérés, compatible avec l'unité."
    )
    opinion.get_by_role("button").click()
    expect(doctor.get_by_text("Troubles cognitifs modérés")).to_be_visible()

    secretary.goto(url)
    visit = secretary.get_by_test_id("visit-plan-form")
    visit.get_by_label(field("Visite prévue le")).fill(
        (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    )
    visit.get_by_role("button", name="Prévoir la visite").click()
    expect(secretary.get_by_test_id("application-status")).to_have_text(
        "Visite de pré-admission prévue"
    )
    report = secretary.get_by_test_id("visit-report-form")
    report.get_by_label(field("Visite faite le")).fill(
        (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    report.get_by_label(field("Compte rendu")).fill(
        "Visite avec sa fille, Mme Roux souhaite entrer."
    )
    report.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(secretary.get_by_test_id("application-status")).to_have_text("Visite faite")

    director = demo_log_in(new_page(), users["directeur.tilleuls"])
    director.goto(url)
    decision = director.get_by_test_id("decision-form")
    decision.get_by_label("Acceptée").check()
    decision.get_by_role("button", name="Enregistrer la décision").click()
    expect(director.get_by_test_id("application-status")).to_have_text("Acceptée")

    # Step 3: admission on a free place, contract, welcome checklist, occupancy.
    secretary.goto(url)
    secretary.get_by_role("link", name="Admettre sur une place").click()
    secretary.locator("#pick-unit").select_option(label="Les Lilas")
    secretary.get_by_role("button", name="Afficher les places libres").click()
    secretary.locator("[data-testid=place-choice] input[type=radio]:not([disabled])").first.check()
    secretary.get_by_role("main").get_by_role("button", name="Admettre").click()
    stay = Stay.objects.get(person=request.person)
    assert stay.place is not None
    request.refresh_from_db()
    assert request.status == AdmissionStatus.ADMITTED

    secretary.goto(f"/admissions/{request.person.public_id}/contrat/")
    secretary.get_by_role("button", name="Générer le PDF").click()
    contract = Contract.objects.get(stay=stay)
    assert contract.document is not None
    with secretary.expect_download() as download_info:
        secretary.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = 'c.pdf';"
            " document.body.appendChild(a); a.click(); }",
            f"/usagers/{request.person.public_id}/documents/{contract.document.public_id}/fichier/",
        )
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "ROUX" in text.upper() and "Tilleuls" in text

    secretary.goto(f"/sejours/{request.person.public_id}/accueil/")
    # Issue 12: several items ticked, one submit.
    secretary.get_by_label("Livret d'accueil remis").check()
    secretary.get_by_label("Règlement de fonctionnement remis").check()
    secretary.get_by_role("button", name="Enregistrer les étapes cochées").click()
    expect(secretary.get_by_text(re.compile("Livret d'accueil remis")).first).to_be_visible()
    expect(secretary.get_by_text(re.compile(r"2\s*étapes faites sur 8"))).to_be_visible()

    secretary.goto("/sejours/occupation/")
    expect(secretary.get_by_text("ROUX Yvonne").first).to_be_visible()
    expect(secretary.get_by_text(stay.place.label).first).to_be_visible()


def test_a_temporary_stay_with_its_planned_end_is_current_everywhere(new_page, settings):
    """Issue 11: the demo secretary admits Mrs Lucienne Bernard to a temporary place of « Les
    Lilas » with a planned end three weeks ahead. Her stay is current: the record header shows
    her room, the occupancy view her name « jusqu'au … (prévu) », the search by room finds her;
    the contract page generates her contract; she plans a week in her family in the
    « Présences et absences » tab."""
    users = seed_demo_staff(settings)
    secretary_user = users["secretaire.tilleuls"]
    tilleuls = secretary_user.assignments.first().establishment
    today = dates.today()
    application = new_application(
        secretary_user,
        tilleuls,
        statuses=TO_ACCEPTED,
        place_kind=PlaceKind.TEMPORARY,
        wished_start=today,
        wished_end=today + timedelta(days=30),
        person=PersonFactory(birth_name="BERNARD", first_names="Lucienne"),
    )
    person = application.person

    secretary = demo_log_in(new_page(), secretary_user)
    secretary.goto(f"/sejours/admettre/{application.public_id}/")
    secretary.locator("#pick-unit").select_option(label="Les Lilas")
    secretary.get_by_role("button", name="Afficher les places libres").click()
    # Only the temporary places may be chosen for this application.
    secretary.locator("[data-testid=place-choice] input[type=radio]:not([disabled])").first.check()
    planned_end = secretary.get_by_label(field("Fin prévue le"))
    expect(planned_end).to_have_value((today + timedelta(days=30)).isoformat())
    planned_end.fill((today + timedelta(days=21)).isoformat())
    secretary.get_by_role("main").get_by_role("button", name="Admettre").click()
    expect(secretary.get_by_text(re.compile("Fin prévue le"))).to_be_visible()
    stay = Stay.objects.get(person=person)
    assert stay.kind == PlaceKind.TEMPORARY and stay.ended_on is None
    assert stay.planned_end == today + timedelta(days=21)
    room = stay.place.label

    secretary.goto(f"/usagers/{person.public_id}/")
    expect(secretary.get_by_test_id("header-stay")).to_contain_text(f"ch. {room}")

    secretary.goto("/sejours/occupation/")
    expect(secretary.get_by_text("BERNARD Lucienne").first).to_be_visible()
    expect(
        secretary.get_by_text(f"jusqu'au {today + timedelta(days=21):%d/%m/%Y} (prévu)").first
    ).to_be_visible()

    secretary.get_by_role("searchbox", name="Rechercher une personne").fill(f"ch {room}")
    expect(
        secretary.locator("#search-results").get_by_role("link", name="BERNARD Lucienne")
    ).to_be_visible()

    secretary.goto(f"/admissions/{person.public_id}/contrat/")
    # Three weeks planned: not over two months, so a DIPC (CASF D311 I–II).
    expect(
        secretary.get_by_role("heading", name="Document individuel de prise en charge (DIPC)")
    ).to_be_visible()
    secretary.get_by_role("button", name="Générer le PDF").click()
    expect(secretary.get_by_test_id("contract-deadlines")).to_be_visible()
    assert Contract.objects.get(stay=stay).kind == ContractKind.DIPC

    secretary.goto(f"/usagers/{person.public_id}/")
    secretary.get_by_role("navigation", name="Parties du dossier").get_by_role(
        "link", name="Présences et absences"
    ).click()
    secretary.get_by_role("link", name="Prévoir une absence").click()
    secretary.get_by_label(field("Du")).fill((today + timedelta(days=7)).isoformat())
    secretary.get_by_label(field("Au (inclus)")).fill((today + timedelta(days=13)).isoformat())
    secretary.get_by_label("Vacances ou séjour en famille").check()
    secretary.get_by_label(field("Précision")).fill("Une semaine chez son fils")
    secretary.get_by_role("button", name="Enregistrer l'absence").click()
    expect(secretary.get_by_test_id("attendance")).to_contain_text("Une semaine chez son fils")
    expect(secretary.get_by_test_id("attendance")).to_contain_text("(7 jours)")
