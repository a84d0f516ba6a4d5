"""The external-care pages: the record's « Rendez-vous » tab (who reads what), the forms (French
errors next to the field, nothing saved; refusals shown and journaled), the unit's agenda and
« Ma journée », with query counts that do not grow with the rows."""

import html
import re
import uuid

import pytest
from django.urls import reverse

from dui.care.appointments import services
from dui.care.appointments.models import Appointment
from dui.documents.models import Document
from dui.support.models import Event, EventStatus
from tests.documents.samples import minimal_pdf, uploaded
from tests.factories import CareTeamMembershipFactory, PersonFactory, PlaceFactory
from tests.refusals import assert_refused
from tests.stays.factories import StayFactory

from .conftest import at

pytestmark = pytest.mark.django_db

AGENDA = reverse("care:appointments_agenda")


def text(response) -> str:
    """What the user reads: tags removed, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def url(name, person, **kwargs) -> str:
    return reverse(f"care:{name}", kwargs={"person_id": person.public_id, **kwargs})


def post(client, address, data):
    return client.post(address, {**data, "idempotency_key": str(uuid.uuid4())})


def form_data(**fields) -> dict:
    data = {
        "kind": "consultation",
        "partner": "",
        "label": "",
        "starts_at": at(3, 9).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": at(3, 10, 30).strftime("%Y-%m-%dT%H:%M"),
        "place": "",
        "transport_mode": "ambulance",
        "transport_booking": "establishment",
        "accompaniment": "professional",
        "companion": "Claire (IDE)",
        "documents_to_bring": "Carte Vitale",
    }
    data.update(fields)
    return data


def bulk_appointments(person, stay, count, *, days=3):
    """`count` appointments written directly (query-count tests), spread over `days` days."""
    for i in range(count):
        event = Event.objects.create(
            person=person,
            stay=stay,
            kind="external_care",
            label=f"Consultation {i}",
            starts_at=at(i % days, 8 + i % 10),
            ends_at=at(i % days, 9 + i % 10),
            category="medical",
        )
        Appointment.objects.create(event=event, kind="consultation", transport_mode="taxi")


class TestRecordTab:
    def test_the_carer_sees_when_and_how_the_person_goes_out_not_the_medical_reason(
        self, logged_in_client, doctor_a, aide_a, resident_a, stay_a, cardiologist, plan
    ):
        plan(
            doctor_a,
            resident_a,
            partner=cardiologist.public_id.hex,
            reason="Bilan d'une fibrillation auriculaire",
        )

        carer_page = text(logged_in_client(aide_a).get(url("appointments_list", resident_a)))
        doctor_page = text(logged_in_client(doctor_a).get(url("appointments_list", resident_a)))

        assert "Consultation — Dr Sophie Marchand, cardiologue" in carer_page
        assert "VSL (assis) — réservé par l'établissement" in carer_page
        assert "Un proche : Sa fille, Mme Lefebvre" in carer_page
        assert "Carte Vitale, dernier ECG" in carer_page
        assert "fibrillation" not in carer_page
        assert "Motif : Bilan d'une fibrillation auriculaire" in doctor_page

    def test_the_tab_is_in_the_record(self, logged_in_client, nurse_a, resident_a, stay_a):
        record = logged_in_client(nurse_a).get(
            reverse("people:record", kwargs={"person_id": resident_a.public_id})
        )
        assert url("appointments_list", resident_a) in record.content.decode()

    def test_a_nurse_of_another_ehpad_is_refused_and_journaled(
        self, logged_in_client, nurse_b, resident_a, stay_a
    ):
        assert_refused(
            logged_in_client(nurse_b).get(url("appointments_list", resident_a)),
            "Vous n'avez pas accès au dossier de cette personne",
            user=nurse_b,
            person=resident_a,
        )

    @pytest.mark.parametrize("count", [2, 40])
    def test_the_query_count_does_not_grow_with_the_appointments(
        self, count, logged_in_client, nurse_a, resident_a, stay_a, django_assert_max_num_queries
    ):
        bulk_appointments(resident_a, stay_a, count // 2, days=5)
        for i in range(count - count // 2):  # past ones too
            event = Event.objects.create(
                person=resident_a,
                stay=stay_a,
                kind="external_care",
                label=f"Ancien {i}",
                starts_at=at(-2 - i, 9),
                ends_at=at(-2 - i, 10),
                category="medical",
                status=EventStatus.DONE,
                report="RAS",
            )
            Appointment.objects.create(event=event, kind="exam")
        client = logged_in_client(nurse_a)
        client.get(url("appointments_list", resident_a))

        with django_assert_max_num_queries(40):
            response = client.get(url("appointments_list", resident_a))
        assert response.status_code == 200
        shown = response.content.decode().count('data-testid="appointment"')
        assert shown == min(count // 2, 20) + min(count - count // 2, 10)


class TestForms:
    def test_the_nurse_plans_an_appointment_from_the_record(
        self, logged_in_client, nurse_a, resident_a, stay_a, cardiologist
    ):
        client = logged_in_client(nurse_a)
        form = text(client.get(url("appointments_create", resident_a)))
        assert "Dr Sophie Marchand, cardiologue" in form
        assert "Motif (médical)" not in form  # the nurse does not write medical

        response = post(
            client,
            url("appointments_create", resident_a),
            form_data(partner=cardiologist.public_id.hex),
        )

        assert response.status_code == 302
        appointment = Appointment.objects.select_related("event").get()
        assert appointment.partner == cardiologist
        assert appointment.event.starts_at == at(3, 9)
        assert "Rendez-vous enregistré" in text(client.get(response.url))

    def test_a_double_tap_on_enregistrer_plans_one_appointment(
        self, logged_in_client, nurse_a, resident_a, stay_a
    ):
        client = logged_in_client(nurse_a)
        data = {**form_data(), "idempotency_key": str(uuid.uuid4())}

        first = client.post(url("appointments_create", resident_a), data)
        second = client.post(url("appointments_create", resident_a), data)

        assert first.status_code == second.status_code == 302
        assert Event.objects.count() == Appointment.objects.count() == 1

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            (
                {"ends_at": at(3, 8).strftime("%Y-%m-%dT%H:%M")},
                "La fin de l'évènement précède son début.",
            ),
            (
                {
                    "starts_at": at(-40, 9).strftime("%Y-%m-%dT%H:%M"),
                    "ends_at": at(-40, 10).strftime("%Y-%m-%dT%H:%M"),
                },
                "Cette date est passée depuis plus de 7 jours : vérifiez l'année et le mois.",
            ),
            ({"companion": ""}, "Indiquez qui accompagne la personne."),
            (
                {"partner": uuid.uuid4().hex},
                "Ce partenaire n'est pas dans l'annuaire de l'établissement",
            ),
        ],
    )
    def test_bad_input_is_answered_next_to_the_field_and_nothing_is_saved(
        self, fields, message, logged_in_client, nurse_a, resident_a, stay_a
    ):
        response = post(
            logged_in_client(nurse_a), url("appointments_create", resident_a), form_data(**fields)
        )

        assert response.status_code == 400
        assert message in text(response)
        assert not Event.objects.exists() and not Appointment.objects.exists()

    def test_a_person_without_a_stay_at_that_date_is_refused_next_to_the_date(
        self, logged_in_client, nurse_a, resident_a
    ):
        response = post(
            logged_in_client(nurse_a), url("appointments_create", resident_a), form_data()
        )

        assert response.status_code == 400
        assert "n'a pas de séjour en cours à cette date" in text(response)
        assert not Event.objects.exists()

    def test_a_psychologist_who_only_reads_care_is_refused_the_form(
        self, logged_in_client, psychologist_a, resident_a, stay_a
    ):
        assert_refused(
            logged_in_client(psychologist_a).get(url("appointments_create", resident_a)),
            "Votre profession ne peut pas modifier cette partie du dossier",
            user=psychologist_a,
            person=resident_a,
        )

    def test_the_nurse_changes_then_cancels_with_a_reason(
        self, logged_in_client, nurse_a, resident_a, stay_a, plan
    ):
        appointment = plan(nurse_a, resident_a)
        client = logged_in_client(nurse_a)
        edit = url("appointments_edit", resident_a, appointment_id=appointment.public_id)
        assert 'value="Sa fille, Mme Lefebvre"' in client.get(edit).content.decode()

        response = post(client, edit, form_data(companion="Son fils", version=1))
        assert response.status_code == 302
        cancel = url("appointments_cancel", resident_a, appointment_id=appointment.public_id)
        response = post(client, cancel, {"cancel_reason": "person_unwell", "version": 2})

        assert response.status_code == 302
        event = Event.objects.get()
        assert event.status == EventStatus.CANCELLED
        page = text(client.get(url("appointments_list", resident_a)))
        assert "Annulé : État de santé de la personne" in page

    def test_the_nurse_who_does_not_write_medical_is_refused_the_outcome(
        self, logged_in_client, nurse_a, resident_a, stay_a, plan
    ):
        appointment = plan(nurse_a, resident_a, starts_at=at(-1, 9), ends_at=at(-1, 10))

        assert_refused(
            logged_in_client(nurse_a).get(
                url("appointments_outcome", resident_a, appointment_id=appointment.public_id)
            ),
            "Votre profession ne peut pas modifier cette partie du dossier",
            user=nurse_a,
            person=resident_a,
        )

    def test_the_doctor_records_the_outcome_with_the_pdf_report(
        self, logged_in_client, nurse_a, doctor_a, resident_a, stay_a, plan
    ):
        appointment = plan(nurse_a, resident_a, starts_at=at(-1, 9), ends_at=at(-1, 10))
        client = logged_in_client(doctor_a)
        address = url("appointments_outcome", resident_a, appointment_id=appointment.public_id)

        response = post(
            client,
            address,
            {
                "version": 1,
                "report": "Échographie normale.",
                "follow_up": "Aucun suivi.",
                "report_file": uploaded(minimal_pdf("CR"), "cr.pdf"),
            },
        )

        assert response.status_code == 302
        document = Document.objects.get()
        assert document.category == "medical"
        page = text(client.get(url("appointments_list", resident_a)))
        assert "Compte rendu : Échographie normale." in page and document.title in page

    def test_a_report_file_over_the_size_limit_is_refused_next_to_the_file(
        self, logged_in_client, nurse_a, doctor_a, resident_a, stay_a, plan, settings
    ):
        settings.DUI_DOCUMENT_MAX_MB = 1
        appointment = plan(nurse_a, resident_a, starts_at=at(-1, 9), ends_at=at(-1, 10))
        address = url("appointments_outcome", resident_a, appointment_id=appointment.public_id)
        big = minimal_pdf("CR") + b"%" * (1024 * 1024)

        response = post(
            logged_in_client(doctor_a),
            address,
            {"version": 1, "report": "x", "report_file": uploaded(big, "gros.pdf")},
        )

        assert response.status_code == 400
        assert "Le fichier dépasse la taille maximale de 1 Mo." in text(response)
        assert not Document.objects.exists()
        assert Event.objects.get().status == EventStatus.PLANNED


class TestAgenda:
    def test_the_unit_s_agenda_lists_who_goes_out_with_room_transport_and_companion(
        self, logged_in_client, nurse_a, resident_a, stay_a, resident_b, unit_b, plan, nurse_b
    ):
        plan(nurse_a, resident_a)
        stay_b = StayFactory(person=resident_b, place=PlaceFactory(unit=unit_b))
        plan(nurse_b, resident_b, companion="Voisin de chambre")

        page = text(logged_in_client(nurse_a).get(AGENDA))

        assert "Lefebvre" in page.upper() or "LEFEBVRE" in page
        assert "(12)" in page  # the room
        assert "VSL (assis) — réservé par l'établissement" in page
        assert "Un proche : Sa fille, Mme Lefebvre" in page
        assert "Voisin de chambre" not in page  # another unit, another EHPAD
        assert stay_b.pk

    def test_an_appointment_beyond_the_week_is_not_in_the_default_agenda(
        self, logged_in_client, nurse_a, resident_a, stay_a, plan
    ):
        plan(nurse_a, resident_a, starts_at=at(9, 9), ends_at=at(9, 10))
        client = logged_in_client(nurse_a)

        assert "Aucun évènement sur cette période." in text(client.get(AGENDA))
        later = text(client.get(AGENDA, {"du": at(9, 0).date().isoformat(), "jours": 1}))
        assert "Consultation" in later

    def test_a_secretary_who_reads_no_care_is_refused(self, logged_in_client, secretary_a):
        assert_refused(
            logged_in_client(secretary_a).get(AGENDA),
            "Votre profession n'a pas accès aux soins des personnes de cet établissement.",
            user=secretary_a,
        )

    def test_it_is_in_the_menu_under_soigner(self, logged_in_client, aide_a):
        page = html.unescape(logged_in_client(aide_a).get(reverse("core:home")).content.decode())
        assert AGENDA in page and "Agenda de l'unité" in page

    @pytest.mark.parametrize("count", [3, 60])
    def test_the_query_count_does_not_grow_with_the_events(
        self, count, logged_in_client, nurse_a, unit_a, django_assert_max_num_queries
    ):
        for i in range(count // 3):
            person = PersonFactory()
            CareTeamMembershipFactory(
                person=person, establishment=unit_a.establishment, unit=unit_a
            )
            stay = StayFactory(person=person, place=PlaceFactory(unit=unit_a, label=f"{i}"))
            bulk_appointments(person, stay, 3)
        client = logged_in_client(nurse_a)
        client.get(AGENDA)

        with django_assert_max_num_queries(30):
            response = client.get(AGENDA)
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="agenda-event"') == min(count, 50)


class TestHome:
    def test_ma_journee_says_who_goes_out_today_and_when(
        self, logged_in_client, nurse_a, resident_a, stay_a, cardiologist, plan
    ):
        plan(
            nurse_a,
            resident_a,
            partner=cardiologist.public_id.hex,
            starts_at=at(0, 14, 30),
            ends_at=at(0, 15, 30),
        )

        page = text(logged_in_client(nurse_a).get(reverse("core:home")))

        assert "RDV extérieur 14:30 (Dr Sophie Marchand, cardiologue)" in page
        assert "1 rendez-vous extérieur aujourd'hui" in page

    def test_a_cancelled_appointment_is_not_announced(
        self, logged_in_client, nurse_a, resident_a, stay_a, plan
    ):
        appointment = plan(nurse_a, resident_a, starts_at=at(0, 14, 30), ends_at=at(0, 15))
        services.appointment_cancel(
            acting_user=nurse_a,
            appointment=appointment,
            cancel_reason="person_refused",
            expected_version=1,
        )

        page = text(logged_in_client(nurse_a).get(reverse("core:home")))

        assert "RDV extérieur" not in page and "rendez-vous extérieur aujourd'hui" not in page


class TestEnteredInError:
    def test_an_appointment_entered_by_mistake_leaves_the_agenda_and_stays_struck_through(
        self, logged_in_client, nurse_a, resident_a, stay_a, plan
    ):
        appointment = plan(nurse_a, resident_a)
        client = logged_in_client(nurse_a)
        address = url("appointments_error", resident_a, appointment_id=appointment.public_id)

        empty = post(client, address, {"reason": "", "version": 1})
        assert empty.status_code == 400
        assert "Indiquez pourquoi ce rendez-vous est une erreur." in text(empty)

        response = post(client, address, {"reason": "Mauvaise personne", "version": 1})

        assert response.status_code == 302
        event = Event.objects.get()
        assert event.entered_in_error and event.entered_in_error_reason == "Mauvaise personne"
        page = text(client.get(url("appointments_list", resident_a)))
        assert "Saisis par erreur (1)" in page and "Aucun rendez-vous à venir." in page
        assert "Aucun évènement sur cette période." in text(client.get(AGENDA))


class TestHistory:
    def test_the_record_history_shows_the_change_to_who_reads_medical_only(
        self, logged_in_client, nurse_a, aide_a, resident_a, stay_a, plan
    ):
        appointment = plan(nurse_a, resident_a)
        services.appointment_update(
            acting_user=nurse_a,
            appointment=appointment,
            data={
                **{k: getattr(appointment, k) for k in services.APPOINTMENT_FIELDS},
                "partner": None,
                "starts_at": at(5, 9),
                "ends_at": at(5, 10),
                "companion": "Son fils",
            },
            expected_version=1,
        )
        history = (
            reverse("people:history", kwargs={"person_id": resident_a.public_id})
            + "?partie=rendez-vous"
        )

        nurse_page = text(logged_in_client(nurse_a).get(history))
        carer_page = text(logged_in_client(aide_a).get(history))

        assert "Rendez-vous modifié" in nurse_page and "Son fils" in nurse_page
        assert "Rendez-vous (2)" in nurse_page
        assert "Son fils" not in carer_page and "Rendez-vous (" not in carer_page
