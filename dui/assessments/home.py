"""What the assessments brick puts on « Ma journée » (dui.core.home): the assessments waiting
for the user's validation, those overdue or due in the unit, and, on the unit's day list, what
is due for each person. Bounded: the due list is computed once per request (2 queries, see
`reviews.due_assessments`), the queue is one count."""

from django.urls import reverse
from django.utils.translation import ngettext

from dui.core.home import Fact, Todo

from .queue import to_validate, validated_codes
from .reviews import due_assessments


def _due_items(request) -> list:
    """The unit's (or establishment's) due list, once per request."""
    cached = getattr(request, "_dui_due_items", None)
    if cached is None:
        assignment = request.assignment
        cached = (
            due_assessments(
                user=request.user,
                unit=assignment.unit if assignment.unit_id else None,
                establishment=assignment.establishment,
            )
            if assignment
            else []
        )
        request._dui_due_items = cached
    return cached


def assessment_todos(request) -> list[Todo]:
    todos = []
    if validated_codes(request.user):
        waiting = to_validate(user=request.user).count()
        todos.append(
            Todo(
                label=ngettext("évaluation à valider", "évaluations à valider", waiting),
                count=waiting,
                url=reverse("assessments:to_validate"),
                level="warn",
                order=20,
            )
        )
    if request.assignment:
        items = _due_items(request)
        late = sum(1 for i in items if i.overdue)
        soon = len(items) - late
        due_url = reverse("assessments:due")
        todos.append(
            Todo(
                label=ngettext("évaluation en retard", "évaluations en retard", late),
                count=late,
                url=f"{due_url}?retard=1",
                level="danger",
                order=30,
            )
        )
        todos.append(
            Todo(
                label=ngettext(
                    "évaluation à faire dans les 30 jours",
                    "évaluations à faire dans les 30 jours",
                    soon,
                ),
                count=soon,
                url=due_url,
                order=31,
            )
        )
    return todos


def due_facts(request, persons, establishment) -> dict:
    """Per person of the day list: « GIR en retard », « MNA-SF à faire » (no query beyond the
    request's due list)."""
    wanted = {p.pk for p in persons}
    facts: dict[int, list[Fact]] = {}
    for item in _due_items(request):
        if item.person.pk not in wanted:
            continue
        name = item.instrument.short_name or item.instrument.name
        url = reverse("assessments:list", kwargs={"person_id": item.person.public_id})
        if item.overdue:
            fact = Fact(f"{name} en retard", "danger", url, f"à faire le {item.due_on:%d/%m/%Y}")
        else:
            fact = Fact(f"{name} à faire", "neutral", url, f"le {item.due_on:%d/%m/%Y}")
        facts.setdefault(item.person.pk, []).append(fact)
    return facts
