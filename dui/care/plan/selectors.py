"""Reads of the care plan: a person's plan, the daily task list of a unit and shift, the
counts of the home page. Persons are read through the access layer (`persons_visible_to`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q

from dui.access.policy import persons_visible_to
from dui.core import dates
from dui.stays.models import Stay
from dui.stays.selectors import absences_on

from .. import shifts
from .models import CarePlanLine, CarePlanLineStatus, CareRecord, CareTask


def person_plan(*, person) -> dict:
    """The person's plan: the lines in force, and the former versions (history kept)."""
    lines = list(
        CarePlanLine.objects.filter(person=person, entered_in_error=False)
        .select_related("profession", "status_changed_by", "replaces")
        .order_by("kind", "label", "-valid_from")
    )
    return {
        "lines": [line for line in lines if line.status == CarePlanLineStatus.ACTIVE],
        "former": sorted(
            (line for line in lines if line.status != CarePlanLineStatus.ACTIVE),
            key=lambda line: line.valid_until,
            reverse=True,
        ),
    }


def line_of(*, person, public_id) -> CarePlanLine | None:
    return (
        CarePlanLine.objects.filter(person=person, public_id=public_id)
        .select_related("profession", "stay__establishment")
        .first()
    )


def task_for(*, user, public_id) -> CareTask | None:
    """An occurrence of a person the user may see (None otherwise)."""
    return (
        CareTask.objects.filter(public_id=public_id, person__in=persons_visible_to(user=user))
        .select_related("line__profession", "person", "unit", "establishment")
        .first()
    )


def record_history(record: CareRecord) -> list:
    return list(record.history.select_related("history_user").order_by("-history_date"))


@dataclass
class PersonTasks:
    person: object
    room: str
    tasks: list = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for t in self.tasks if t.overdue)

    @property
    def by_line(self) -> list[tuple[object, list]]:
        """The tasks grouped by care (plan line), in the order of their first time: the printed
        plan shows « Change 07:00 ☐ 10:00 ☐ 13:00 ☐ » on one row."""
        rows: dict[int, tuple[object, list]] = {}
        for task in self.tasks:
            rows.setdefault(task.line_id, (task.line, []))[1].append(task)
        return list(rows.values())

    @property
    def to_do(self) -> int:
        return sum(1 for t in self.tasks if t.record_or_none is None)


@dataclass
class ShiftList:
    shift: shifts.Shift
    groups: list[PersonTasks]
    absent: list  # persons of the unit absent that day: no task for them
    window: timedelta

    @property
    def tasks(self):
        return [t for g in self.groups for t in g.tasks]

    @property
    def overdue(self) -> int:
        return sum(g.overdue for g in self.groups)

    @property
    def to_do(self) -> int:
        return sum(1 for t in self.tasks if t.record_or_none is None)

    @property
    def done(self) -> int:
        return len(self.tasks) - self.to_do


def _scoped_tasks(*, user, assignment, starts_at: datetime, ends_at: datetime):
    tasks = CareTask.objects.planned().filter(
        establishment_id=assignment.establishment_id,
        due_at__gte=starts_at,
        due_at__lt=ends_at,
        person__in=persons_visible_to(user=user),
    )
    if assignment.unit_id:
        tasks = tasks.filter(unit_id=assignment.unit_id)
    return tasks


def is_overdue(task: CareTask, *, now: datetime, window: timedelta) -> bool:
    """Not recorded, and the late-entry window after its time has passed."""
    return task.record_or_none is None and task.due_at + window < now


def shift_tasks(*, user, assignment, shift: shifts.Shift, profession=None, now=None) -> ShiftList:
    """The occurrences of the acting unit (or establishment) due during `shift`, grouped by
    person in room order, each with its record if any. Bounded queries (≤ 5) whatever the
    number of tasks."""
    establishment = assignment.establishment
    settings = shifts.care_settings(establishment)
    window = timedelta(minutes=settings.late_entry_minutes)
    now = now or dates.now()
    tasks = _scoped_tasks(
        user=user, assignment=assignment, starts_at=shift.starts_at, ends_at=shift.ends_at
    )
    if profession is not None:
        tasks = tasks.filter(line__profession=profession)
    tasks = list(
        tasks.select_related(
            "line__profession", "person", "record__created_by", "postponed_from__record"
        ).order_by("due_at", "line__label")
    )
    person_ids = {t.person_id for t in tasks}
    rooms = dict(
        Stay.objects.current(shift.day)
        .filter(person_id__in=person_ids, establishment=establishment)
        .values_list("person_id", "place__label")
    )
    groups: dict[int, PersonTasks] = {}
    for task in tasks:
        try:
            task.record_or_none = task.record
        except CareRecord.DoesNotExist:
            task.record_or_none = None
        task.overdue = is_overdue(task, now=now, window=window)
        task.late_if_now = task.record_or_none is None and now - task.due_at > window
        group = groups.get(task.person_id)
        if group is None:
            group = groups[task.person_id] = PersonTasks(
                person=task.person, room=rooms.get(task.person_id) or ""
            )
        group.tasks.append(task)
    absent_stays = absences_on(shift.day).filter(
        stay__establishment=establishment,
        person__in=persons_visible_to(user=user),
    )
    if assignment.unit_id:
        absent_stays = absent_stays.filter(stay__unit_id=assignment.unit_id)
    absent = [
        a.person for a in absent_stays.select_related("person").order_by("person__birth_name")
    ]
    ordered = sorted(groups.values(), key=lambda g: (g.room == "", g.room, g.person.birth_name))
    return ShiftList(shift=shift, groups=ordered, absent=absent, window=window)


def shift_counts(*, user, assignment, now=None, shift=None) -> tuple[int, int]:
    """(to do, overdue) this shift (or `shift`) in the acting unit: the home page's two
    items, the counts of the list after a tap. One query (and the settings)."""
    establishment = assignment.establishment
    settings = shifts.care_settings(establishment)
    now = now or dates.now()
    shift = shift or shifts.shift_at(establishment, now, settings)
    window = timedelta(minutes=settings.late_entry_minutes)
    counts = (
        _scoped_tasks(
            user=user, assignment=assignment, starts_at=shift.starts_at, ends_at=shift.ends_at
        )
        .filter(record__isnull=True)
        .aggregate(to_do=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now - window)))
    )
    return counts["to_do"], counts["overdue"]


def person_task_counts(*, person_ids, establishment, now=None) -> dict[int, tuple[int, int]]:
    """{person id: (to do this shift, overdue)} for a list of persons: one query."""
    settings = shifts.care_settings(establishment)
    now = now or dates.now()
    shift = shifts.shift_at(establishment, now, settings)
    window = timedelta(minutes=settings.late_entry_minutes)
    rows = (
        CareTask.objects.planned()
        .filter(
            person_id__in=person_ids,
            establishment=establishment,
            due_at__gte=shift.starts_at,
            due_at__lt=shift.ends_at,
            record__isnull=True,
        )
        .values("person_id")
        .annotate(to_do=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now - window)))
        .order_by()
    )
    return {r["person_id"]: (r["to_do"], r["overdue"]) for r in rows}


def day_plan(*, user, assignment, day) -> list[tuple[shifts.Shift, ShiftList]]:
    """The printable plan of the day: each shift's list (the tasks of the day, by person)."""
    settings = shifts.care_settings(assignment.establishment)
    now = dates.now()
    return [
        (shift, shift_tasks(user=user, assignment=assignment, shift=shift, now=now))
        for shift in shifts.shifts_of_day(day, assignment.establishment, settings)
    ]
