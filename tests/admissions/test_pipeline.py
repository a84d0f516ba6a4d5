"""Steps 1–2: an inquiry becomes an application, which moves along the pipeline only by the
transitions pipeline.TRANSITIONS lists."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dui.access.models import CareTeamMembership, MembershipReason
from dui.admissions import services
from dui.admissions.models import AdmissionEvent, AdmissionStatus, InquiryStatus
from dui.admissions.pipeline import TRANSITIONS
from tests.factories import PersonFactory

S = AdmissionStatus
TODAY = timezone.localdate()


@pytest.fixture
def inquiry(secretary_a, ehpad_a):
    return services.inquiry_create(
        acting_user=secretary_a,
        establishment=ehpad_a,
        data={
            "received_at": timezone.now(),
            "channel": "phone",
            "requester_kind": "relative",
            "requester_name": "Mme Claire Martin (fille)",
            "prospect_birth_name": "MARTIN",
            "prospect_first_names": "Jeanne",
            "place_kind": "permanent",
            "documents_sent": ["livret_accueil", "tarifs"],
            "follow_up_on": TODAY + timedelta(days=7),
        },
    )


@pytest.fixture
def application(inquiry, secretary_a, ehpad_a):
    person = PersonFactory(birth_name="MARTIN", first_names="Jeanne")
    return services.admission_request_create(
        acting_user=secretary_a,
        establishment=ehpad_a,
        person=person,
        source="direct",
        place_kind="permanent",
        received_on=TODAY,
        inquiry=inquiry,
    )


def move(user, request, *statuses, note="motif"):
    for status in statuses:
        request = services.admission_request_transition(
            acting_user=user, request=request, to_status=status, note=note
        )
    return request


def test_an_inquiry_must_say_for_whom(secretary_a, ehpad_a):
    with pytest.raises(ValidationError) as error:
        services.inquiry_create(
            acting_user=secretary_a,
            establishment=ehpad_a,
            data={
                "received_at": timezone.now(),
                "channel": "phone",
                "requester_kind": "relative",
                "requester_name": "M. X",
            },
        )
    assert "pour qui" in " ".join(error.value.messages)


def test_converting_an_inquiry_opens_the_record_to_the_establishment(application, inquiry, ehpad_a):
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CONVERTED and inquiry.person == application.person
    membership = CareTeamMembership.objects.get(person=application.person)
    assert membership.reason == MembershipReason.APPLICATION and membership.establishment == ehpad_a
    assert AdmissionEvent.objects.filter(request=application, to_status=S.RECEIVED).exists()


def test_an_inquiry_is_converted_once(application, inquiry, secretary_a, ehpad_a):
    with pytest.raises(ValidationError):
        services.admission_request_create(
            acting_user=secretary_a,
            establishment=ehpad_a,
            person=application.person,
            source="direct",
            place_kind="permanent",
            received_on=TODAY,
            inquiry=inquiry,
        )


def test_the_whole_pipeline_to_the_waiting_list(application, secretary_a):
    request = move(
        secretary_a,
        application,
        S.INCOMPLETE,
        S.EVALUATION,
        S.VISIT_PLANNED,
        S.VISIT_DONE,
        S.ACCEPTED,
        S.WAITING_LIST,
    )
    assert request.status == S.WAITING_LIST
    assert list(request.events.values_list("to_status", flat=True)) == [
        S.RECEIVED,
        S.INCOMPLETE,
        S.EVALUATION,
        S.VISIT_PLANNED,
        S.VISIT_DONE,
        S.ACCEPTED,
        S.WAITING_LIST,
    ]


def test_an_acceptance_skipping_the_visit_is_refused(application, secretary_a):
    request = move(secretary_a, application, S.EVALUATION)
    with pytest.raises(ValidationError) as error:
        move(secretary_a, request, S.ACCEPTED)
    assert "ne peut pas passer" in error.value.messages[0]
    request.refresh_from_db()
    assert request.status == S.EVALUATION


def test_a_refusal_without_reason_is_refused(application, secretary_a):
    request = move(secretary_a, application, S.EVALUATION)
    with pytest.raises(ValidationError) as error:
        move(secretary_a, request, S.REFUSED, note="")
    assert "motif du refus" in error.value.message_dict["note"][0]


def test_ended_requests_move_no_more(application, secretary_a):
    request = move(secretary_a, application, S.WITHDRAWN)
    assert TRANSITIONS[S.WITHDRAWN] == frozenset()
    with pytest.raises(ValidationError):
        move(secretary_a, request, S.EVALUATION)


def test_a_temporary_stay_needs_an_end_after_its_start(secretary_a, ehpad_a):
    person = PersonFactory()
    with pytest.raises(ValidationError) as error:
        services.admission_request_create(
            acting_user=secretary_a,
            establishment=ehpad_a,
            person=person,
            source="direct",
            place_kind="temporary",
            received_on=TODAY,
            wished_start=TODAY + timedelta(days=10),
            wished_end=TODAY + timedelta(days=3),
        )
    assert "sortie prévue" in " ".join(error.value.messages)


def test_an_aide_soignant_cannot_receive_an_application(aide_a, ehpad_a):
    with pytest.raises(PermissionDenied):
        services.admission_request_create(
            acting_user=aide_a,
            establishment=ehpad_a,
            person=PersonFactory(),
            source="direct",
            place_kind="permanent",
            received_on=TODAY,
        )


def test_another_establishment_following_the_person_does_not_reach_this_application(
    logged_in_client, secretary_a, ehpad_a, resident_b, director_b, unit_b
):
    """Review finding: the person is followed by EHPAD B and applies to EHPAD A; B's staff may
    see the person, not A's application file (opinions, visit, decision)."""
    from django.urls import reverse

    from dui.access.models import AccessAction, AccessEvent
    from dui.admissions import evaluation
    from tests.factories import professional

    application = services.admission_request_create(
        acting_user=secretary_a,
        establishment=ehpad_a,
        person=resident_b,
        source="direct",
        place_kind="permanent",
        received_on=TODAY,
    )
    doctor_b = professional(
        username="med.b", profession="medecin_coordonnateur", establishment=unit_b.establishment
    )
    page = logged_in_client(doctor_b).get(
        reverse("admissions:request_detail", args=[application.public_id])
    )
    assert page.status_code == 403
    assert AccessEvent.objects.filter(user=doctor_b, action=AccessAction.DENIED).exists()
    application = move(secretary_a, application, S.EVALUATION)
    with pytest.raises(PermissionDenied):
        evaluation.opinion_give(
            acting_user=doctor_b, request=application, kind="medical", value="favourable"
        )
