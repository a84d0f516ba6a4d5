"""Occurrences of the care plan: planned by one idempotent service (the daily command, a plan
change), never by a page; a change touches only the future unrecorded ones; an absence
suspends them (issue 13, item 5)."""

from datetime import time, timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from dui.access.errors import AccessDenied
from dui.care.plan import schedule, services
from dui.care.plan.models import CarePlanLineStatus, CareRecordOutcome, CareTask
from dui.core import dates
from dui.stays.models import Attendance, AttendanceKind, AttendanceStatus
from tests.care.plan.conftest import line_data, local

pytestmark = pytest.mark.django_db


def due_times(line) -> list[str]:
    zone = dates.zone_of()
    return [
        f"{t.due_at.astimezone(zone):%d %H:%M}"
        for t in CareTask.objects.filter(line=line).planned().order_by("due_at")
    ]


# --- The schedule (Django-free) --------------------------------------------------------------


def test_every_three_hours_from_six_gives_eight_times_a_day_as_the_has_consensus_asks():
    # HAS 2001 (conférence de consensus, escarres): change of position every 2 to 3 hours.
    found = schedule.times_of_day(times=["06:00"], every_hours=3)
    assert [f"{t:%H:%M}" for t in found] == [
        "00:00",
        "03:00",
        "06:00",
        "09:00",
        "12:00",
        "15:00",
        "18:00",
        "21:00",
    ]


def test_a_rhythm_that_does_not_divide_the_day_restarts_at_its_start_time_every_day():
    found = schedule.times_of_day(times=["06:00"], every_hours=5)
    assert found == [time(2), time(6), time(11), time(16), time(21)]


def test_fixed_times_are_read_sorted_and_once():
    assert schedule.times_of_day(times=["20:00", "8:00", "08:00"]) == [time(8), time(20)]


def test_a_line_runs_only_on_its_weekdays_and_between_its_dates():
    monday = dates.today() - timedelta(days=dates.today().weekday())
    only_mondays = 0b0000001
    assert schedule.runs_on(monday, weekdays=only_mondays, starts_on=monday, ends_on=None)
    assert not schedule.runs_on(
        monday + timedelta(days=1), weekdays=only_mondays, starts_on=monday, ends_on=None
    )
    assert not schedule.runs_on(
        monday, weekdays=schedule.ALL_WEEKDAYS, starts_on=monday + timedelta(days=1), ends_on=None
    )


# --- Generation ------------------------------------------------------------------------------


def test_creating_a_line_plans_its_next_48_hours_at_once(clock, make_line):
    clock(local(7))
    line = make_line(times=["08:00", "20:00"])
    today, tomorrow = (f"{(dates.today() + timedelta(days=n)).day:02d}" for n in (0, 1))
    # 48 h from 7 h: today 8 h and 20 h, tomorrow 8 h and 20 h (the day after's 8 h is 49 h away).
    assert due_times(line) == [
        f"{today} 08:00",
        f"{today} 20:00",
        f"{tomorrow} 08:00",
        f"{tomorrow} 20:00",
    ]


def test_generation_is_idempotent_run_twice_it_plans_the_same_tasks_once(clock, make_line, ehpad_a):
    clock(local(7))
    line = make_line(times=["08:00", "14:00", "20:00"])
    before = due_times(line)
    until = dates.now() + timedelta(hours=48)
    assert services.care_tasks_generate(establishment=ehpad_a, until=until) == 0
    assert services.care_tasks_generate(establishment=ehpad_a, until=until) == 0
    assert due_times(line) == before


def test_the_database_refuses_a_second_task_for_the_same_line_and_time(clock, make_line):
    clock(local(7))
    line = make_line()
    task = CareTask.objects.filter(line=line).first()
    with pytest.raises(IntegrityError, match=r"care_task_once_per_slot|UNIQUE|unique"):
        CareTask.objects.create(
            line=line,
            person=task.person,
            establishment=task.establishment,
            unit=task.unit,
            due_at=task.due_at,
        )


def test_the_daily_command_plans_the_next_48_hours_and_twice_changes_nothing(
    clock, nurse_a, stay_a
):
    clock(local(7))
    # A line written before generation existed (no task yet).
    line = services.care_plan_line_create(
        acting_user=nurse_a, person=stay_a.person, data=line_data(times=["09:00"])
    )
    CareTask.objects.all().delete()
    call_command("generate_care_tasks")
    first = due_times(line)
    call_command("generate_care_tasks")
    assert due_times(line) == first
    assert len(first) == 2


def test_a_line_planned_on_mondays_only_gets_no_task_on_other_days(clock, make_line):
    clock(local(7))
    today_bit = 1 << dates.today().weekday()
    line = make_line(times=["10:00"], weekdays=today_bit)
    assert len(due_times(line)) == 1  # today only (tomorrow and the day after are other days)


# --- A change of plan ------------------------------------------------------------------------


def test_a_change_touches_only_the_future_unrecorded_tasks(
    clock, make_line, nurse_a, aide_a, ehpad_a
):
    clock(local(6))
    line = make_line(times=["07:00", "08:00", "20:00"])
    # The 7 h one is left unrecorded (it stays as it was, overdue); the 8 h one is recorded.
    clock(local(8, 30))
    eight = CareTask.objects.get(line=line, due_at=local(8))
    services.care_record_create(acting_user=aide_a, task=eight, outcome=CareRecordOutcome.DONE)
    clock(local(9))
    new = services.care_plan_line_change(
        acting_user=nurse_a,
        line=line,
        data=line_data(times=["10:00", "21:00"], label="Toilette au lit"),
        expected_version=line.version,
        reason="Alitée depuis ce matin",
    )
    line.refresh_from_db()
    assert line.status == CarePlanLineStatus.REPLACED and new.replaces == line
    old = {t.due_at: t for t in CareTask.objects.filter(line=line)}
    assert old[local(7)].cancelled_at is None  # past: unchanged
    assert old[local(8)].cancelled_at is None and old[local(8)].record.outcome == "done"
    assert old[local(20)].cancelled_at is not None  # future, unrecorded: cancelled
    today = f"{dates.today().day:02d}"
    assert due_times(new)[:2] == [f"{today} 10:00", f"{today} 21:00"]


def test_stopping_a_line_cancels_its_future_tasks_and_keeps_the_recorded_ones(
    clock, make_line, nurse_a
):
    clock(local(9))
    line = make_line(times=["10:00", "20:00"])
    stopped = services.care_plan_line_stop(
        acting_user=nurse_a, line=line, expected_version=line.version, reason="Fin des soins"
    )
    assert stopped.status == CarePlanLineStatus.STOPPED
    assert due_times(line) == []
    assert CareTask.objects.filter(line=line).exclude(cancelled_at=None).count() == 4


def test_a_stale_form_cannot_change_a_line_someone_changed_meanwhile(clock, make_line, nurse_a):
    clock(local(9))
    line = make_line()
    services.care_plan_line_change(
        acting_user=nurse_a, line=line, data=line_data(), expected_version=line.version
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.care_plan_line_change(
            acting_user=nurse_a, line=line, data=line_data(), expected_version=line.version
        )


def test_a_carer_reads_the_plan_but_does_not_change_it(clock, stay_a, aide_a):
    clock(local(9))
    with pytest.raises(AccessDenied, match="infirmiers"):
        services.care_plan_line_create(acting_user=aide_a, person=stay_a.person, data=line_data())


def test_a_line_needs_a_time_and_one_start_time_with_a_rhythm(clock, stay_a, nurse_a):
    from django.core.exceptions import ValidationError

    clock(local(9))
    with pytest.raises(ValidationError) as error:
        services.care_plan_line_create(
            acting_user=nurse_a, person=stay_a.person, data=line_data(times=[])
        )
    assert "times" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.care_plan_line_create(
            acting_user=nurse_a,
            person=stay_a.person,
            data=line_data(times=["06:00", "09:00"], every_hours=3),
        )
    assert "une seule heure de départ" in str(error.value)


def test_repositioning_every_three_hours_plans_eight_tasks_a_day(clock, make_line):
    clock(local(0, 1))
    line = make_line(kind="repositioning", label="Repositionnement", times=["06:00"], every_hours=3)
    assert len([t for t in due_times(line) if t.startswith(f"{dates.today().day:02d}")]) == 7


# --- Absences --------------------------------------------------------------------------------


def absence(stay, first, last, user):
    return Attendance.objects.create(
        person=stay.person,
        stay=stay,
        kind=AttendanceKind.ABSENT,
        starts_on=first,
        ends_on=last,
        absence_kind="hospitalisation",
        status=AttendanceStatus.VALIDATED,
        status_changed_by=user,
        status_changed_at=dates.now(),
    )


def test_an_absent_person_gets_no_task_on_the_days_of_absence_and_keeps_the_plan(
    clock, make_line, stay_a, nurse_a, ehpad_a
):
    clock(local(7))
    line = make_line(times=["10:00"])
    assert len(due_times(line)) == 2  # today and tomorrow
    absence(stay_a, dates.today(), dates.today(), nurse_a)
    services.care_tasks_generate(establishment=ehpad_a, until=dates.now() + timedelta(hours=48))
    tomorrow = f"{(dates.today() + timedelta(days=1)).day:02d}"
    assert due_times(line) == [f"{tomorrow} 10:00"]
    line.refresh_from_db()
    assert line.status == CarePlanLineStatus.ACTIVE
