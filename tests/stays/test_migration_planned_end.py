"""Migration stays 0004: a temporary stay stored its planned end in `ended_on`, the field of the
actual exit. A date still in the future cannot be an exit: it moves to `planned_end`."""

import importlib
from datetime import timedelta

from django.apps import apps

from dui.organisation.models import PlaceKind
from dui.stays.models import Stay
from tests.factories import PlaceFactory
from tests.stays.factories import StayFactory

migration = importlib.import_module("dui.stays.migrations.0004_stay_planned_end")


def test_an_exit_still_in_the_future_becomes_the_planned_end(unit_a, today):
    place = PlaceFactory(unit=unit_a, kind=PlaceKind.TEMPORARY)
    temporary = StayFactory(
        place=place,
        kind=PlaceKind.TEMPORARY,
        started_on=today - timedelta(days=5),
        ended_on=today + timedelta(days=9),
    )

    migration.planned_ends_out_of_exits(apps, None)

    temporary.refresh_from_db()
    assert temporary.planned_end == today + timedelta(days=9)
    assert temporary.ended_on is None
    assert Stay.objects.current(today).filter(pk=temporary.pk).exists()
    last = temporary.history.order_by("-history_date", "-history_id").first()
    assert last.history_change_reason == migration.REASON
    assert last.planned_end == today + timedelta(days=9) and last.ended_on is None


def test_a_past_exit_stays_an_exit_and_a_temporary_one_was_its_planned_end(unit_a, today):
    permanent = StayFactory(
        place=PlaceFactory(unit=unit_a),
        started_on=today - timedelta(days=300),
        ended_on=today - timedelta(days=30),
    )
    temporary = StayFactory(
        place=PlaceFactory(unit=unit_a, kind=PlaceKind.TEMPORARY),
        kind=PlaceKind.TEMPORARY,
        started_on=today - timedelta(days=40),
        ended_on=today - timedelta(days=10),
    )
    leaving_today = StayFactory(
        place=PlaceFactory(unit=unit_a), started_on=today - timedelta(days=40), ended_on=today
    )

    migration.planned_ends_out_of_exits(apps, None)

    for stay in (permanent, temporary, leaving_today):
        stay.refresh_from_db()
    assert (permanent.ended_on, permanent.planned_end) == (today - timedelta(days=30), None)
    assert temporary.ended_on == temporary.planned_end == today - timedelta(days=10)
    assert (leaving_today.ended_on, leaving_today.planned_end) == (today, None)


def test_a_stored_exit_equal_to_a_future_entry_is_left_as_it_is(unit_a, today):
    odd = StayFactory(
        place=PlaceFactory(unit=unit_a),
        started_on=today + timedelta(days=3),
        ended_on=today + timedelta(days=3),
    )

    migration.planned_ends_out_of_exits(apps, None)

    odd.refresh_from_db()
    assert (odd.ended_on, odd.planned_end) == (today + timedelta(days=3), None)


def test_going_back_makes_the_planned_end_an_exit_again(unit_a, today):
    stay = StayFactory(
        place=PlaceFactory(unit=unit_a, kind=PlaceKind.TEMPORARY),
        kind=PlaceKind.TEMPORARY,
        started_on=today,
        planned_end=today + timedelta(days=12),
    )

    migration.exits_from_planned_ends(apps, None)

    stay.refresh_from_db()
    assert stay.ended_on == today + timedelta(days=12)
