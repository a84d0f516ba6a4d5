"""Fixtures of the admission tests: an application accepted by the committee, places of unit A."""

import pytest

from tests.factories import PlaceFactory
from tests.stays.helpers import ACCEPTED, application_for


@pytest.fixture
def accepted(secretary_a, ehpad_a):
    return application_for(secretary_a, ehpad_a, statuses=ACCEPTED)


@pytest.fixture
def room_101(unit_a):
    return PlaceFactory(unit=unit_a, label="101")


@pytest.fixture
def room_102(unit_a):
    return PlaceFactory(unit=unit_a, label="102")
