"""The Event maps onto the TDDUI « Évènement » (`Profiles/TDDUIEncounterEvenement.fsh`) as the
research notes §1.4 say, checked against the ANS example
`Examples/TDDUIEncounterEvenementExample.fsh` (status finished, period
2023-04-14T10:30+02:00 → 11:15, label/report/reason strings, identifier
« 3480787529/147720425367411-EVN-12548 » in system
https://identifiant-medicosocial-evenement.esante.gouv.fr)."""

import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dui.support.models import Event, EventStatus
from tests.factories import EstablishmentFactory, PersonFactory, PlaceFactory, UnitFactory
from tests.stays.factories import StayFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
# The identifier invariant of the TDDUI identifiers (3 + FINESS / local id - PREFIX - number),
# as SlotPresenceAbsenceIdentifierFormat writes it, with the event's prefix.
IDENTIFIER = re.compile(r"^3[0-9]{9}/[A-Za-z0-9]+-EVN-[A-Za-z0-9]+$")


@pytest.fixture
def example_event(organisation):
    """The example's event, as our model holds it: a finished home visit of 45 minutes."""
    establishment = EstablishmentFactory(organisation=organisation, finess="480787529")
    unit = UnitFactory(establishment=establishment)
    person = PersonFactory(public_id=uuid.UUID("14772042-5367-4110-0000-000000000000"))
    stay = StayFactory(person=person, place=PlaceFactory(unit=unit))
    return Event.objects.create(
        person=person,
        stay=stay,
        kind="visit",
        label="Visite à domicile pour soins infirmier.",
        reason="Suivi post-opératoire suite à intervention chirurgicale de la hanche.",
        report="Observations cliniques : ; Prochaine visite : 15 avril 2023, 10h30",
        starts_at=datetime(2023, 4, 14, 10, 30, tzinfo=PARIS),
        ends_at=datetime(2023, 4, 14, 11, 15, tzinfo=PARIS),
        status=EventStatus.DONE,
    )


def test_the_event_fills_the_elements_of_the_tddui_example(example_event):
    fields = example_event.tddui_fields()

    assert fields["identifier"]["system"] == (
        "https://identifiant-medicosocial-evenement.esante.gouv.fr"
    )
    assert IDENTIFIER.match(fields["identifier"]["value"])
    assert fields["identifier"]["value"].startswith("3480787529/14772042536741100000")
    assert fields["status"] == "finished"
    assert fields["period_start"].isoformat() == "2023-04-14T10:30:00+02:00"
    assert fields["period_end"].isoformat() == "2023-04-14T11:15:00+02:00"
    assert fields["label"] == "Visite à domicile pour soins infirmier."
    assert fields["reason"].startswith("Suivi post-opératoire")
    assert fields["report"].startswith("Observations cliniques")
    assert fields["type_text"] == "Visite à domicile pour soins infirmier."
    assert fields["part_of"] == example_event.stay.public_id.hex
    assert fields["service_provider_finess"] == "480787529"


@pytest.mark.parametrize(
    ("status", "fhir"),
    [("planned", "planned"), ("validated", "triaged"), ("done", "finished")],
)
def test_each_status_maps_onto_the_profile_s_code(example_event, status, fhir):
    example_event.status = status
    assert example_event.tddui_fields()["status"] == fhir


def test_a_cancelled_event_carries_its_reason_as_text(example_event):
    example_event.status = "cancelled"
    example_event.cancel_reason = "transport"
    example_event.cancel_reason_text = "Ambulance en retard"

    fields = example_event.tddui_fields()

    assert fields["status"] == "cancelled"
    assert fields["cancel_reason_text"] == "Transport indisponible — Ambulance en retard"


def test_the_database_refuses_an_end_before_the_start(example_event):
    from django.db import IntegrityError, transaction

    example_event.ends_at = example_event.starts_at.replace(hour=9)
    with pytest.raises(IntegrityError, match="event_ends_after_start"), transaction.atomic():
        Event.objects.filter(pk=example_event.pk).update(ends_at=example_event.ends_at)


def test_the_database_refuses_a_cancellation_without_reason(example_event):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError, match="event_cancelled_has_reason"), transaction.atomic():
        Event.objects.filter(pk=example_event.pk).update(status="cancelled")
