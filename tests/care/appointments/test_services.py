"""External care through its services: an appointment is one `Event` (TDDUI « Évènement ») and
its care details, written in one transaction; bad input is refused field by field and leaves
nothing behind; changes are versions; the outcome is medical."""

import pytest
from django.core.exceptions import ValidationError

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.care.appointments import services
from dui.care.appointments.models import Appointment
from dui.coordination.models import Partner, PartnerKind
from dui.documents.models import Document, DocumentKind
from dui.support.models import Event, EventKind, EventStatus
from tests.documents.samples import minimal_pdf, uploaded
from tests.factories import OrganisationFactory

from .conftest import appointment_data, at

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


class TestPlanning:
    def test_a_nurse_plans_an_appointment_with_its_event_on_the_stay(
        self, nurse_a, resident_a, stay_a, cardiologist, plan
    ):
        appointment = plan(nurse_a, resident_a, partner=cardiologist.public_id.hex)

        event = appointment.event
        assert event.kind == EventKind.EXTERNAL_CARE
        assert event.stay == stay_a and event.person == resident_a
        assert event.status == EventStatus.PLANNED
        assert event.status_changed_by == nurse_a
        assert event.category == "medical"  # its reason and report
        assert event.label == "Consultation — Dr Sophie Marchand, cardiologue"
        assert event.place == "12 rue de l'Hôpital, 75012 Paris"  # the partner's address
        assert appointment.transport_line == "VSL (assis) — réservé par l'établissement"
        assert appointment.accompaniment_line == "Un proche : Sa fille, Mme Lefebvre"
        journaled = AccessEvent.objects.filter(
            action=AccessAction.CREATE, user=nurse_a, person=resident_a
        ).values_list("object_type", flat=True)
        assert {"support.Event", "care.Appointment"} <= set(journaled)

    def test_the_nurse_cannot_write_the_medical_reason_but_the_doctor_can(
        self, nurse_a, doctor_a, resident_a, stay_a, plan
    ):
        with pytest.raises(AccessDenied):
            plan(nurse_a, resident_a, reason="Bilan d'une fibrillation auriculaire")
        assert not Event.objects.exists()

        appointment = plan(doctor_a, resident_a, reason="Bilan d'une fibrillation auriculaire")

        assert appointment.event.reason == "Bilan d'une fibrillation auriculaire"

    def test_a_psychologist_reads_care_but_does_not_plan(
        self, psychologist_a, resident_a, stay_a, plan
    ):
        with pytest.raises(AccessDenied) as excinfo:
            plan(psychologist_a, resident_a)

        assert "ne peut pas planifier" in str(excinfo.value.message)


class TestBadInput:
    """Issue 13, « Bad input »: a French message next to the cause, nothing saved."""

    def refused(self, user, person, **fields) -> dict:
        with pytest.raises(ValidationError) as excinfo:
            services.appointment_create(
                acting_user=user, person=person, data=appointment_data(**fields)
            )
        assert not Event.objects.exists() and not Appointment.objects.exists()
        return errors_of(excinfo)

    def test_an_end_before_the_start(self, nurse_a, resident_a, stay_a):
        errors = self.refused(nurse_a, resident_a, starts_at=at(3, 10), ends_at=at(3, 9))

        assert errors["ends_at"] == ["La fin de l'évènement précède son début."]

    def test_a_date_far_in_the_past(self, nurse_a, resident_a, stay_a):
        errors = self.refused(nurse_a, resident_a, starts_at=at(-30, 9), ends_at=at(-30, 10))

        assert "passée depuis plus de 7 jours" in errors["starts_at"][0]

    def test_yesterday_s_appointment_may_still_be_entered(self, nurse_a, resident_a, stay_a, plan):
        assert plan(nurse_a, resident_a, starts_at=at(-1, 9), ends_at=at(-1, 10)).pk

    def test_a_person_without_a_stay_at_that_date(self, nurse_a, resident_a, unit_a):
        # The resident is followed (care team) but has no stay under way.
        errors = self.refused(nurse_a, resident_a)

        assert errors["starts_at"] == [
            "Cette personne n'a pas de séjour en cours à cette date : l'évènement ne peut pas "
            "être planifié."
        ]

    def test_a_partner_of_another_organisation_s_directory(self, nurse_a, resident_a, stay_a):
        stranger = Partner.objects.create(
            organisation=OrganisationFactory(name="Autre association"),
            kind=PartnerKind.SPECIALIST,
            name="Dr Ailleurs",
        )

        errors = self.refused(nurse_a, resident_a, partner=stranger.public_id.hex)

        assert errors["partner"] == [
            "Ce partenaire n'est pas dans l'annuaire de l'établissement : choisissez-en un de "
            "la liste."
        ]

    def test_a_companion_without_a_name_and_a_booking_without_transport(
        self, nurse_a, resident_a, stay_a
    ):
        errors = self.refused(
            nurse_a,
            resident_a,
            transport_mode="none",
            transport_booking="family",
            accompaniment="professional",
            companion="",
        )

        assert errors["transport_booking"] == [
            "Sans transport, il n'y a pas de réservation à faire."
        ]
        assert errors["companion"] == ["Indiquez qui accompagne la personne."]


class TestChanges:
    def test_a_change_is_a_new_version_and_the_old_one_stays_in_the_history(
        self, nurse_a, resident_a, stay_a, plan
    ):
        appointment = plan(nurse_a, resident_a)

        services.appointment_update(
            acting_user=nurse_a,
            appointment=appointment,
            data=appointment_data(starts_at=at(4, 14, 30), ends_at=at(4, 15, 30)),
            expected_version=appointment.version,
        )

        appointment.refresh_from_db()
        event = appointment.event
        assert appointment.version == 2 and event.starts_at == at(4, 14, 30)
        assert event.history.count() == 2
        assert event.history.earliest().starts_at == at(3, 9)

    def test_a_form_read_before_someone_else_s_change_is_refused(
        self, nurse_a, resident_a, stay_a, plan
    ):
        appointment = plan(nurse_a, resident_a)
        services.appointment_update(
            acting_user=nurse_a,
            appointment=appointment,
            data=appointment_data(companion="Son fils"),
            expected_version=1,
        )

        with pytest.raises(ValidationError) as excinfo:
            services.appointment_update(
                acting_user=nurse_a,
                appointment=appointment,
                data=appointment_data(companion="Sa nièce"),
                expected_version=1,
            )

        assert "modifié par quelqu'un d'autre" in excinfo.value.messages[0]
        appointment.refresh_from_db()
        assert appointment.companion == "Son fils"

    def test_a_cancellation_needs_a_reason_and_closes_the_appointment(
        self, nurse_a, resident_a, stay_a, plan
    ):
        appointment = plan(nurse_a, resident_a)
        with pytest.raises(ValidationError) as excinfo:
            services.appointment_cancel(
                acting_user=nurse_a,
                appointment=appointment,
                cancel_reason="other",
                cancel_reason_text="",
                expected_version=1,
            )
        assert "cancel_reason_text" in errors_of(excinfo)

        services.appointment_cancel(
            acting_user=nurse_a,
            appointment=appointment,
            cancel_reason="partner_cancelled",
            cancel_reason_text="Cardiologue absent, reporté",
            expected_version=1,
        )

        event = Event.objects.get()
        assert event.status == EventStatus.CANCELLED
        assert event.cancel_reason == "partner_cancelled"
        with pytest.raises(ValidationError):
            services.appointment_update(
                acting_user=nurse_a,
                appointment=Appointment.objects.get(),
                data=appointment_data(),
                expected_version=2,
            )


class TestOutcome:
    def test_the_doctor_records_the_report_filed_as_a_medical_document(
        self, nurse_a, doctor_a, resident_a, stay_a, plan
    ):
        appointment = plan(nurse_a, resident_a, starts_at=at(-1, 9), ends_at=at(-1, 10))

        services.appointment_record_outcome(
            acting_user=doctor_a,
            appointment=appointment,
            report="Pas de trouble du rythme.",
            follow_up="Revoir dans 6 mois.",
            report_file=uploaded(minimal_pdf("Compte rendu"), "cr-cardio.pdf"),
            expected_version=1,
        )

        appointment.refresh_from_db()
        assert appointment.event.status == EventStatus.DONE
        assert appointment.event.report == "Pas de trouble du rythme."
        assert appointment.follow_up == "Revoir dans 6 mois."
        document = Document.objects.get()
        assert appointment.report_document == document
        assert document.kind == DocumentKind.MEDICAL_REPORT and document.category == "medical"

    def test_the_nurse_who_does_not_write_medical_is_refused(
        self, nurse_a, resident_a, stay_a, plan
    ):
        appointment = plan(nurse_a, resident_a, starts_at=at(-1, 9), ends_at=at(-1, 10))

        with pytest.raises(AccessDenied) as excinfo:
            services.appointment_record_outcome(
                acting_user=nurse_a, appointment=appointment, report="x", expected_version=1
            )

        assert "information médicale" in str(excinfo.value.message)

    def test_an_appointment_still_to_come_has_no_report_yet(
        self, nurse_a, doctor_a, resident_a, stay_a, plan
    ):
        appointment = plan(nurse_a, resident_a)

        with pytest.raises(ValidationError) as excinfo:
            services.appointment_record_outcome(
                acting_user=doctor_a, appointment=appointment, report="x", expected_version=1
            )

        assert errors_of(excinfo)["report"] == [
            "Cet évènement n'a pas encore eu lieu : son compte rendu attendra."
        ]

    def test_an_empty_outcome_is_refused(self, nurse_a, doctor_a, resident_a, stay_a, plan):
        appointment = plan(nurse_a, resident_a, starts_at=at(-1, 9), ends_at=at(-1, 10))

        with pytest.raises(ValidationError) as excinfo:
            services.appointment_record_outcome(
                acting_user=doctor_a, appointment=appointment, expected_version=1
            )

        assert errors_of(excinfo)["report"] == [
            "Déposez le compte rendu ou écrivez-en l'essentiel."
        ]
