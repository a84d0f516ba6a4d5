"""The care plan's fixtures: a resident of unit A with a stay on a room, a clock frozen at a
chosen local time of the establishment's current day, and plan lines made by the nurse."""

from datetime import datetime, time, timedelta

import pytest
from freezegun import freeze_time

from dui.care.plan import services
from dui.core import dates
from tests.factories import PlaceFactory, profession, professional
from tests.stays.factories import StayFactory


def local(hour: int, minute: int = 0, *, days: int = 0) -> datetime:
    """A moment at a wall-clock time of today (+ days) in the establishment's zone."""
    day = dates.today() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute)).replace(tzinfo=dates.zone_of())


@pytest.fixture
def clock():
    """`clock(moment)` freezes the clock there (ticking) until the end of the test; again
    to move it."""
    frozen = []

    def move(moment):
        while frozen:
            frozen.pop().stop()
        freezer = freeze_time(moment, tick=True)
        freezer.start()
        frozen.append(freezer)

    yield move
    while frozen:
        frozen.pop().stop()


@pytest.fixture
def stay_a(resident_a, unit_a):
    place = PlaceFactory(unit=unit_a, label="Chambre 12")
    return StayFactory(
        person=resident_a, place=place, started_on=dates.today() - timedelta(days=100)
    )


@pytest.fixture
def carer_profession(db):
    return profession("as")


def line_data(**overrides) -> dict:
    data = {
        "kind": "hygiene",
        "label": "Toilette complète",
        "instructions": "Au lavabo, assise.",
        "profession": profession("as"),
        "times": ["08:00", "20:00"],
        "every_hours": None,
        "weekdays": 0b1111111,
        "starts_on": dates.today() - timedelta(days=1),
        "ends_on": None,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_line(nurse_a, stay_a):
    def make(**overrides):
        return services.care_plan_line_create(
            acting_user=nurse_a, person=stay_a.person, data=line_data(**overrides)
        )

    return make


@pytest.fixture
def aide_a2(unit_a2):
    return professional(
        username="as.a2", profession="as", establishment=unit_a2.establishment, unit=unit_a2
    )
