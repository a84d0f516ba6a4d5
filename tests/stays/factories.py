"""Stays for the admission and occupancy tests (tests/factories.py has none)."""

import factory

from dui.core import dates
from dui.organisation.models import PlaceKind
from dui.stays.models import Stay
from tests.factories import PersonFactory, PlaceFactory


class StayFactory(factory.django.DjangoModelFactory):
    """Another person's stay on a place (no care-team membership: invisible by default)."""

    class Meta:
        model = Stay

    person = factory.SubFactory(PersonFactory)
    place = factory.SubFactory(PlaceFactory)
    unit = factory.SelfAttribute("place.unit")
    establishment = factory.SelfAttribute("place.establishment")
    kind = PlaceKind.PERMANENT
    started_on = factory.LazyFunction(dates.today)
