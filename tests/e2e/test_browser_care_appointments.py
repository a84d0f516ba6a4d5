"""External care on a tablet held upright (820×1180, issue 13 item 6).

Camille Roussel, the demo nurse of Les Lilas, plans from Mme Garnier's record her consultation
with the cardiologist, by VSL, with an aide-soignante; the appointment shows on her unit's
agenda with the room, the transport and the companion; back from the consultation, she records
the outcome with the PDF report received. Her establishment's director has opened the medical
category to the nurses for writing (the matrix is the establishment's, DESIGN §4.1): by
default a nurse reads medical data and the report is medical (see the services' tests)."""

from datetime import timedelta

from playwright.sync_api import Page, expect

from dui.access.services import category_permission_set
from dui.coordination.models import Partner, PartnerKind
from dui.core import dates
from tests.documents.samples import minimal_pdf
from tests.e2e.axe import assert_no_serious_violations
from tests.e2e.browser import demo_log_in, field, open_menu_entry, seed_demo_staff
from tests.e2e.conftest import TABLET_PORTRAIT
from tests.factories import CareTeamMembershipFactory, PersonFactory, PlaceFactory, profession
from tests.stays.factories import StayFactory


def _local(moment) -> str:
    return moment.astimezone(dates.zone_of()).strftime("%Y-%m-%dT%H:%M")


def test_a_nurse_plans_an_appointment_sees_it_on_the_agenda_and_files_the_report(
    new_page, settings
):
    users = seed_demo_staff(settings)
    nurse = users["ide.tilleuls"]
    unit = nurse.assignments.get().unit
    establishment = unit.establishment
    category_permission_set(
        acting_user=users["directeur.tilleuls"],
        establishment=establishment,
        profession=profession("ide"),
        category="medical",
        can_read=True,
        can_write=True,
    )
    resident = PersonFactory(birth_name="Garnier", first_names="Odette")
    CareTeamMembershipFactory(person=resident, establishment=establishment, unit=unit)
    StayFactory(
        person=resident,
        place=PlaceFactory(unit=unit, label="214"),
        started_on=dates.today() - timedelta(days=90),
    )
    Partner.objects.create(
        organisation=establishment.organisation,
        kind=PartnerKind.SPECIALIST,
        name="Dr Sophie Marchand, cardiologue",
        address="Clinique du Parc, Lyon",
    )
    # Earlier today (the report is written once the appointment has begun), never yesterday.
    starts = max(
        dates.start_of_day(dates.today()) + timedelta(minutes=1),
        dates.now() - timedelta(minutes=10),
    )
    page: Page = new_page(TABLET_PORTRAIT)
    demo_log_in(page, nurse)

    page.goto(f"/usagers/{resident.public_id}/soins/rendez-vous/")
    page.get_by_role("link", name="Nouveau rendez-vous").click()
    page.get_by_label(field("Partenaire (annuaire)")).select_option(
        label="Dr Sophie Marchand, cardiologue (Médecin spécialiste)"
    )
    page.get_by_label(field("Début")).fill(_local(starts))
    page.get_by_label(field("Fin (prévue)")).fill(_local(starts + timedelta(hours=1)))
    page.get_by_label("VSL (assis)", exact=True).check()
    page.get_by_label("L'établissement", exact=True).check()
    page.get_by_label("Un professionnel de l'établissement").check()
    page.get_by_label(field("Nom de l'accompagnant")).fill("Nadia (AS)")
    page.get_by_role("button", name="Enregistrer").click()

    appointment = page.get_by_test_id("appointment")
    expect(appointment).to_contain_text("Consultation — Dr Sophie Marchand, cardiologue")
    expect(appointment).to_contain_text("VSL (assis) — réservé par l'établissement")

    open_menu_entry(page, "Agenda de l'unité")
    line = page.get_by_test_id("agenda-event")
    expect(line).to_contain_text("GARNIER")
    expect(line).to_contain_text("(214)")
    expect(line).to_contain_text("VSL (assis)")
    expect(line).to_contain_text("Nadia (AS)")
    assert_no_serious_violations(page)

    page.goto(f"/usagers/{resident.public_id}/soins/rendez-vous/")
    page.get_by_role("link", name="Enregistrer le compte rendu").click()
    page.get_by_label(field("Compte rendu reçu (PDF ou photo)")).set_input_files(
        files=[
            {
                "name": "cr-cardiologie.pdf",
                "mimeType": "application/pdf",
                "buffer": minimal_pdf("Compte rendu"),
            }
        ]
    )
    page.get_by_label(field("Compte rendu (l'essentiel)")).fill("Pas de trouble du rythme.")
    page.get_by_label(field("Suites à donner")).fill("Revoir dans 6 mois.")
    page.get_by_role("button", name="Enregistrer le compte rendu").click()

    expect(appointment).to_contain_text("Réalisé")
    expect(appointment).to_contain_text("Compte rendu : Pas de trouble du rythme.")
    expect(page.get_by_test_id("report-document")).to_contain_text("Compte rendu — Consultation")
