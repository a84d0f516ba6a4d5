"""Helpers of the admission and occupancy tests."""

from datetime import timedelta

from django.utils import timezone

from dui.admissions import services as admissions
from dui.admissions.models import AdmissionStatus as S
from dui.organisation.models import PlaceKind
from tests.factories import PersonFactory

TODAY = timezone.localdate()
RECEIVED_ON = TODAY - timedelta(days=30)


def application_for(user, establishment, *, statuses=(), place_kind=PlaceKind.PERMANENT, **extra):
    request = admissions.admission_request_create(
        acting_user=user,
        establishment=establishment,
        person=extra.pop("person", None) or PersonFactory(birth_name="Garnier", first_names="Paul"),
        source="direct",
        place_kind=place_kind,
        received_on=RECEIVED_ON,
        **extra,
    )
    for status in statuses:
        request = admissions.admission_request_transition(
            acting_user=user, request=request, to_status=status, note="motif"
        )
    return request


ACCEPTED = (S.EVALUATION, S.VISIT_PLANNED, S.VISIT_DONE, S.ACCEPTED)
