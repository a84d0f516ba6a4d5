"""What the assessments brick puts on « Ma journée » (dui.core.home): the assessments waiting
for the user's validation, those overdue or due in the unit, and, on the unit's day list, what
is due for each person. Bounded: what is due in the unit is read once per request (1 query,
`reviews.due_set`) and gives both the counts and the day list's facts; the queue is one
count."""

from django.urls import reverse
from django.utils.translation import ngettext

from dui.core.home import Fact, Todo

from .models import ReviewRule
from .queue import to_validate, validated_codes
from .reviews import due_set


def _scope(request) -> dict:
    """Who and where, with the establishment's ReviewRule rows read once per request."""
    assignment = request.assignment
    review_rules = getattr(request, "_dui_review_rules", None)
    if review_rules is None:
        review_rules = list(ReviewRule.objects.filter(establishment=assignment.establishment))
        request._dui_review_rules = review_rules
    return {
        "user": request.user,
        "unit": assignment.unit if assignment.unit_id else None,
        "establishment": assignment.establishment,
        "review_rules": review_rules,
    }


def _due(request):
    """The unit's (or establishment's) `DueSet`, computed once per request."""
    found = getattr(request, "_dui_due_set", None)
    if found is None:
        found = request._dui_due_set = due_set(**_scope(request))
    return found


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
        late, soon = _due(request).counts()
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
    if not request.assignment:
        return {}
    facts: dict[int, list[Fact]] = {}
    for item in _due(request).items(person_ids=[p.pk for p in persons]):
        name = item.instrument.short_name or item.instrument.name
        url = reverse("assessments:list", kwargs={"person_id": item.person["public_id"]})
        if item.overdue:
            fact = Fact(f"{name} en retard", "danger", url, f"à faire le {item.due_on:%d/%m/%Y}")
        else:
            fact = Fact(f"{name} à faire", "neutral", url, f"le {item.due_on:%d/%m/%Y}")
        facts.setdefault(item.person["pk"], []).append(fact)
    return facts
