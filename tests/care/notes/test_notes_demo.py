"""The demo's notes (issue 13, « Done when »: every demo resident has months of notes)."""

from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command

from dui.care.notes.models import Note
from dui.core import dates
from dui.demo import data
from dui.demo.care_notes import NOTE_DAYS
from dui.stays.models import Stay

pytestmark = pytest.mark.django_db


def test_every_current_resident_has_weeks_of_notes_by_the_staff_of_their_unit():
    call_command("seed_demo", persons=60, verbosity=0)

    current = Stay.objects.current(dates.today()).select_related("unit")
    notes = Note.objects.select_related("author", "unit")
    by_person = Counter(notes.values_list("person_id", flat=True))
    unit_staff = {(p.username, p.unit) for p in data.STAFF if p.unit}
    wide = {p.username for p in data.STAFF if not p.unit}

    # The test settings seed a short history (DUI_DEMO_CARE_DAYS), `make run` months of it.
    days = min(NOTE_DAYS, settings.DUI_DEMO_CARE_DAYS)
    first_day = dates.today() - timedelta(days=days - 1)
    assert current.exists()
    for stay in current:
        full_days = (dates.today() - max(stay.started_on, first_day)).days
        assert by_person[stay.person_id] >= 2 * full_days, "2 to 4 notes a day"
    assert all(
        (n.author.username, n.unit.name) in unit_staff or n.author.username in wide
        for n in notes[:500]
    )
    categories = Counter(notes.values_list("category", flat=True))
    assert categories["care"] and categories["psychological"] and categories["educational"]
    assert notes.filter(important=True).exists()
    assert not notes.filter(created_at__gt=dates.now()).exists()
    sample = notes.first()
    assert sample.created_at > sample.occurred_at
