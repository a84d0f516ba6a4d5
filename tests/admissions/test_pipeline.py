"""Steps 1–2: an inquiry becomes an application, which moves along the pipeline only by the
transitions pipeline.TRANSITIONS lists, each at the version its user read."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent, CareTeamMembership, MembershipReason
from dui.admissions.models import AdmissionEvent, AdmissionRequest, InquiryStatus
from dui.admissions.pipeline import ADMISSIBLE_STATUSES, TRANSITIONS
from dui.admissions.services import evaluation, inquiries
from dui.admissions.services.applications import application_create, application_transition
from dui.core import dates
from tests.admissions.helpers import S, move, new_application
from tests.factories import PersonFactory, professional
from tests.refusals import assert_refused, assert_service_refused


@pytest.fixture
def inquiry(secretary_a, ehpad_a, today):
    return inquiries.inquiry_create(
        acting_user=secretary_a,
        establishment=ehpad_a,
        data={
            "received_at": dates.now(),
            "channel": "phone",
            "requester_kind": "relative",
            "requester_name": "Mme Claire Martin (fille)",
            "prospect_birth_name": "MARTIN",
            "prospect_first_names": "Jeanne",
            "prospect_birth_date": today - timedelta(days=88 * 365),
            "place_kind": "permanent",
            "documents_sent": ["livret_accueil", "tarifs"],
            "follow_up_on": today + timedelta(days=7),
        },
    )


@pytest.fixture
def converted(inquiry, secretary_a, today):
    return inquiries.inquiry_convert(
        acting_user=secretary_a,
        inquiry=inquiry,
        expected_version=inquiry.version,
        source="direct",
        place_kind="permanent",
        received_on=today,
    )


def test_an_inquiry_must_say_for_whom(secretary_a, ehpad_a):
    with pytest.raises(ValidationError) as error:
        inquiries.inquiry_create(
            acting_user=secretary_a,
            establishment=ehpad_a,
            data={
                "received_at": dates.now(),
                "channel": "phone",
                "requester_kind": "relative",
                "requester_name": "M. X",
            },
        )
    assert "pour qui" in " ".join(error.value.messages)


def test_converting_an_inquiry_opens_the_record_to_the_establishment(converted, inquiry, ehpad_a):
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CONVERTED and inquiry.person == converted.person
    membership = CareTeamMembership.objects.get(
        person=converted.person, reason=MembershipReason.APPLICATION
    )
    assert membership.establishment == ehpad_a and membership.valid_to is None
    assert AdmissionEvent.objects.filter(application=converted, to_status=S.RECEIVED).exists()


def test_an_inquiry_is_converted_once(converted, inquiry, secretary_a, today):
    inquiry.refresh_from_db()
    with pytest.raises(ValidationError, match="déjà été transformée"):
        inquiries.inquiry_convert(
            acting_user=secretary_a,
            inquiry=inquiry,
            expected_version=inquiry.version,
            source="direct",
            place_kind="permanent",
            received_on=today,
        )
    assert AdmissionRequest.objects.count() == 1


def test_the_whole_pipeline_to_the_waiting_list(application, secretary_a):
    application = move(
        secretary_a,
        application,
        S.INCOMPLETE,
        S.EVALUATION,
        S.VISIT_PLANNED,
        S.VISIT_DONE,
        S.ACCEPTED,
        S.WAITING_LIST,
    )
    assert application.status == S.WAITING_LIST
    assert list(application.events.values_list("to_status", flat=True)) == [
        S.RECEIVED,
        S.INCOMPLETE,
        S.EVALUATION,
        S.VISIT_PLANNED,
        S.VISIT_DONE,
        S.ACCEPTED,
        S.WAITING_LIST,
    ]


def test_an_acceptance_skipping_the_visit_is_refused(application, secretary_a):
    application = move(secretary_a, application, S.EVALUATION)
    with pytest.raises(ValidationError) as error:
        move(secretary_a, application, S.ACCEPTED)
    assert "ne peut pas passer" in error.value.messages[0]
    application.refresh_from_db()
    assert application.status == S.EVALUATION


def test_a_refusal_without_reason_is_refused(application, secretary_a):
    application = move(secretary_a, application, S.EVALUATION)
    with pytest.raises(ValidationError) as error:
        move(secretary_a, application, S.REFUSED, note="")
    assert "motif du refus" in error.value.message_dict["note"][0]


def test_ended_applications_move_no_more(application, secretary_a):
    application = move(secretary_a, application, S.WITHDRAWN)
    assert TRANSITIONS[S.WITHDRAWN] == frozenset()
    with pytest.raises(ValidationError):
        move(secretary_a, application, S.EVALUATION)


def test_admission_is_reachable_from_the_statuses_the_pipeline_says():
    assert {S.ACCEPTED, S.WAITING_LIST} == ADMISSIBLE_STATUSES


def test_a_move_from_a_form_read_before_another_move_is_refused(application, secretary_a):
    read_at = application.version
    move(secretary_a, application, S.EVALUATION)
    with pytest.raises(ValidationError, match="modifiée par quelqu'un d'autre"):
        application_transition(
            acting_user=secretary_a,
            application=application,
            to_status=S.WITHDRAWN,
            note="La famille renonce",
            expected_version=read_at,
        )
    with pytest.raises(ValidationError, match="version de la fiche manquante"):
        application_transition(
            acting_user=secretary_a,
            application=application,
            to_status=S.WITHDRAWN,
            note="La famille renonce",
            expected_version=None,
        )
    application.refresh_from_db()
    assert application.status == S.EVALUATION


def test_a_temporary_stay_needs_an_end_after_its_start(secretary_a, ehpad_a, today):
    with pytest.raises(ValidationError) as error:
        application_create(
            acting_user=secretary_a,
            establishment=ehpad_a,
            person=PersonFactory(),
            source="direct",
            place_kind="temporary",
            received_on=today,
            wished_start=today + timedelta(days=10),
            wished_end=today + timedelta(days=3),
        )
    assert "sortie prévue" in " ".join(error.value.messages)


def test_an_aide_soignant_cannot_receive_an_application(aide_a, ehpad_a, today):
    person = PersonFactory()
    with pytest.raises(AccessDenied) as refused:
        application_create(
            acting_user=aide_a,
            establishment=ehpad_a,
            person=person,
            source="direct",
            place_kind="permanent",
            received_on=today,
        )
    assert_service_refused(refused, "Votre profession ne peut pas enregistrer de demande ici.")
    assert refused.value.person == person
    assert not AdmissionRequest.objects.exists()


def test_another_establishment_following_the_person_does_not_reach_this_application(
    logged_in_client, secretary_a, ehpad_a, resident_b, unit_b
):
    """Review finding: the person is followed by EHPAD B and applies to EHPAD A; B's staff may
    see the person, not A's application file (opinions, visit, decision)."""
    application = new_application(secretary_a, ehpad_a, person=resident_b)
    doctor_b = professional(
        username="med.b", profession="medecin_coordonnateur", establishment=unit_b.establishment
    )
    page = logged_in_client(doctor_b).get(
        reverse("admissions:application_detail", args=[application.public_id])
    )
    line = assert_refused(
        page,
        "Cette demande est instruite par un autre établissement.",
        user=doctor_b,
        person=resident_b,
    )
    assert line.object_id == str(application.public_id)
    application = move(secretary_a, application, S.EVALUATION)
    with pytest.raises(AccessDenied) as refused:
        evaluation.opinion_give(
            acting_user=doctor_b, application=application, kind="medical", value="favourable"
        )
    assert_service_refused(refused, "Cette demande est instruite par un autre établissement.")
    assert not application.opinions.exists()
    assert not AccessEvent.objects.filter(user=doctor_b, action=AccessAction.CREATE).exists()
