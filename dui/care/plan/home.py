"""« Ma journée » items of the care plan: the tasks of this shift in the user's unit (to do,
overdue), and per person of a list « 3 soins à faire », « 1 soin en retard » (one query)."""

from django.urls import reverse
from django.utils.translation import ngettext

from dui.access.models import InformationCategory
from dui.access.policy import user_rights_in
from dui.core.home import Fact, Todo

from .selectors import person_task_counts, shift_counts

CARE = InformationCategory.CARE


def _reads_care(request, establishment_id) -> bool:
    return user_rights_in(request.user, establishment_id).get(CARE, (False, False))[0]


def care_task_todos(request) -> list[Todo]:
    assignment = request.assignment
    if not assignment or not _reads_care(request, assignment.establishment_id):
        return []
    to_do, overdue = shift_counts(user=request.user, assignment=assignment)
    url = reverse("care:plan_tasks")
    return [
        Todo(
            label=ngettext("soin en retard", "soins en retard", overdue),
            count=overdue,
            url=url,
            level="danger",
            order=10,
        ),
        Todo(
            label=ngettext("soin à faire ce poste", "soins à faire ce poste", to_do),
            count=to_do,
            url=url,
            level="neutral",
            order=11,
        ),
    ]


def care_task_facts(request, persons, establishment) -> dict:
    if not _reads_care(request, establishment.pk):
        return {}
    counts = person_task_counts(person_ids=[p.pk for p in persons], establishment=establishment)
    facts: dict[int, list[Fact]] = {}
    for person_id, (to_do, overdue) in counts.items():
        found = facts.setdefault(person_id, [])
        if overdue:
            found.append(
                Fact(
                    ngettext("%(n)s soin en retard", "%(n)s soins en retard", overdue)
                    % {"n": overdue},
                    "danger",
                )
            )
        if to_do:
            found.append(
                Fact(
                    ngettext("%(n)s soin à faire", "%(n)s soins à faire", to_do) % {"n": to_do},
                    "neutral",
                )
            )
    return facts
