"""Observations and care alerts for the tests of the observations part."""

from decimal import Decimal

import factory

from dui.care.observations.measures import MEASURES, Measure
from dui.care.observations.models import CareAlert, Observation
from dui.core import dates
from tests.factories import PersonFactory


class ObservationFactory(factory.django.DjangoModelFactory):
    """A measure saved as the service would (unit from the table), without the alert rules."""

    class Meta:
        model = Observation

    person = factory.SubFactory(PersonFactory)
    establishment = factory.LazyAttribute(
        lambda o: o.person.care_team_memberships.first().establishment
    )
    measure = Measure.WEIGHT
    value = Decimal("70")
    unit_code = factory.LazyAttribute(lambda o: MEASURES[o.measure].ucum)
    occurred_at = factory.LazyFunction(dates.now)


class CareAlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareAlert

    person = factory.SubFactory(PersonFactory)
    establishment = factory.LazyAttribute(
        lambda o: o.person.care_team_memberships.first().establishment
    )
    kind = "fever"
    raised_at = factory.LazyFunction(dates.now)
    detail = "Température 38,5 °C (≥ 38 °C)."
