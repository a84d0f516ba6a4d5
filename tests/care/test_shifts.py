"""Shifts (postes) of the care team: morning, afternoon and night as the establishment set them,
in its own time zone, across midnight and the clock changes."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from dui.care.models import CareSettings
from dui.care.shifts import AFTERNOON, MORNING, NIGHT, care_settings, previous_shift, shift_at

pytestmark = pytest.mark.django_db


def paris(year, month, day, hour, minute=0):
    """A moment given in Paris wall-clock time (the demo establishments' zone)."""
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris"))


def test_without_settings_the_shifts_begin_at_seven_fourteen_and_twenty_one(ehpad_a):
    settings = care_settings(ehpad_a)

    assert settings.pk is None
    assert (settings.morning_starts_at, settings.afternoon_starts_at, settings.night_starts_at) == (
        time(7),
        time(14),
        time(21),
    )
    assert settings.late_entry_minutes == 120


def test_the_shift_under_way_follows_the_wall_clock_of_the_establishment(ehpad_a):
    assert shift_at(ehpad_a, paris(2026, 12, 2, 7, 0)).code == MORNING
    assert shift_at(ehpad_a, paris(2026, 12, 2, 13, 59)).code == MORNING
    assert shift_at(ehpad_a, paris(2026, 12, 2, 14, 0)).code == AFTERNOON
    assert shift_at(ehpad_a, paris(2026, 12, 2, 21, 0)).code == NIGHT
    # 23:30 in Paris is 22:30 UTC: still the night that began on the 2nd, in Paris.
    night = shift_at(ehpad_a, datetime(2026, 12, 2, 22, 30, tzinfo=UTC))
    assert (night.code, night.day) == (NIGHT, date(2026, 12, 2))


def test_before_the_morning_it_is_still_the_night_of_the_evening_before(ehpad_a):
    shift = shift_at(ehpad_a, paris(2026, 12, 3, 6, 59))

    assert (shift.code, shift.day) == (NIGHT, date(2026, 12, 2))
    assert shift.ends_at == paris(2026, 12, 3, 7, 0)


def test_the_shift_before_the_morning_is_the_night_before(ehpad_a):
    morning = shift_at(ehpad_a, paris(2026, 12, 3, 9, 0))

    night = previous_shift(morning, ehpad_a)

    assert (night.code, night.day) == (NIGHT, date(2026, 12, 2))
    assert night.starts_at == paris(2026, 12, 2, 21, 0)
    assert str(night) == "nuit du 02/12/2026"


def test_the_night_of_the_autumn_clock_change_lasts_one_hour_more(ehpad_a):
    # Europe/Paris goes back from 03:00 to 02:00 on Sunday 31 October 2027.
    night = shift_at(ehpad_a, paris(2027, 10, 30, 23, 0))

    assert night.ends_at - night.starts_at == timedelta(hours=11)


def test_an_establishment_sets_its_own_shifts(ehpad_a):
    CareSettings.objects.create(
        establishment=ehpad_a,
        morning_starts_at=time(6, 45),
        afternoon_starts_at=time(13, 45),
        night_starts_at=time(20, 45),
    )

    assert shift_at(ehpad_a, paris(2026, 12, 2, 6, 50)).code == MORNING
    assert shift_at(ehpad_a, paris(2026, 12, 2, 20, 50)).code == NIGHT


def test_shifts_out_of_order_are_refused_with_a_french_message(ehpad_a):
    settings = CareSettings(
        establishment=ehpad_a,
        morning_starts_at=time(14),
        afternoon_starts_at=time(7),
        night_starts_at=time(21),
    )

    with pytest.raises(ValidationError) as refused:
        settings.full_clean()

    assert "Les postes se suivent dans la journée" in str(refused.value)
