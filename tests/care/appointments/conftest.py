"""Fixtures of the external-care tests: a resident of unit A with a stay under way there, the
organisation's cardiologist in the partner directory, and a helper that plans an appointment
through the service."""

from datetime import timedelta

import pytest

from dui.care.appointments import services
from dui.coordination.models import Partner, PartnerKind
from dui.core import dates
from tests.factories import PlaceFactory
from tests.stays.factories import StayFactory


@pytest.fixture
def stay_a(resident_a, unit_a):
    return StayFactory(
        person=resident_a,
        place=PlaceFactory(unit=unit_a, label="12"),
        started_on=dates.today() - timedelta(days=200),
    )


@pytest.fixture
def cardiologist(organisation):
    return Partner.objects.create(
        organisation=organisation,
        kind=PartnerKind.SPECIALIST,
        name="Dr Sophie Marchand, cardiologue",
        address="12 rue de l'Hôpital, 75012 Paris",
    )


def at(days: int, hour: int, minute: int = 0):
    """A moment `days` from today at hh:mm, in the establishment's (default) time zone."""
    return dates.start_of_day(dates.today() + timedelta(days=days)) + timedelta(
        hours=hour, minutes=minute
    )


def appointment_data(**fields) -> dict:
    data = {
        "kind": "consultation",
        "partner": None,
        "label": "",
        "starts_at": at(3, 9),
        "ends_at": at(3, 10, 30),
        "place": "",
        "transport_mode": "vsl",
        "transport_booking": "establishment",
        "accompaniment": "relative",
        "companion": "Sa fille, Mme Lefebvre",
        "documents_to_bring": "Carte Vitale, dernier ECG",
    }
    data.update(fields)
    return data


@pytest.fixture
def plan():
    """plan(user, person, **fields) -> Appointment, through the service."""

    def write(user, person, **fields):
        return services.appointment_create(
            acting_user=user, person=person, data=appointment_data(**fields)
        )

    return write
