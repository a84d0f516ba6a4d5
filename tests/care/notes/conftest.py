"""Fixtures of the targeted-notes tests: a resident of unit A with a stay under way there, the
establishment's focus list, and a helper that writes a note as the service does."""

from datetime import timedelta

import pytest

from dui.care.notes import services
from dui.care.notes.models import Note, NoteFocus
from dui.core import dates
from tests.factories import PlaceFactory, professional
from tests.stays.factories import StayFactory


@pytest.fixture
def stay_a(resident_a, unit_a):
    return StayFactory(
        person=resident_a,
        place=PlaceFactory(unit=unit_a),
        started_on=dates.today() - timedelta(days=200),
    )


@pytest.fixture
def pain(ehpad_a):
    return NoteFocus.objects.create(establishment=ehpad_a, label="Douleur", order=1)


@pytest.fixture
def sleep(ehpad_a):
    return NoteFocus.objects.create(establishment=ehpad_a, label="Sommeil", order=2)


@pytest.fixture
def night_nurse_a(unit_a):
    """The nurse of the next shift in unit A."""
    return professional(
        username="ide.nuit.a",
        profession="ide",
        establishment=unit_a.establishment,
        unit=unit_a,
        first_name="Inès",
        last_name="Robert",
    )


@pytest.fixture
def idec_a(ehpad_a):
    return professional(username="idec.a", profession="idec", establishment=ehpad_a)


@pytest.fixture
def write_note():
    """write_note(user, person, **fields) -> Note, through the service."""

    def write(user, person, *, focus=None, **fields) -> Note:
        data = {
            "focus_key": focus.public_id.hex if focus is not None else "",
            "focus_text": "",
            "data": "",
            "actions": "",
            "results": "",
            "category": "care",
            "important": False,
            "occurred_at": dates.now(),
        }
        data.update(fields)
        if focus is None and not data["focus_text"]:
            data["focus_text"] = "Observation"
        if not (data["data"] or data["actions"] or data["results"]):
            data["data"] = "A bien dormi."
        return services.note_create(acting_user=user, person=person, data=data)

    return write
