"""Fixtures of the stays tests: "today" (one value per test, shared by the fixtures and the
expectations) and places of unit A."""

import pytest

from dui.core import dates
from tests.factories import PlaceFactory


@pytest.fixture
def today():
    """The establishments' today (Europe/Paris), read once for the whole test."""
    return dates.today()


@pytest.fixture
def room_101(unit_a):
    return PlaceFactory(unit=unit_a, label="101")


@pytest.fixture
def room_102(unit_a):
    return PlaceFactory(unit=unit_a, label="102")
