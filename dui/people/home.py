"""The « Ma journée » panel of the people brick: the persons the user's unit accompanies."""

from dui.access.policy import MANAGEMENT_ROLES, user_rights_in
from dui.core.home import Fact

from .models import PersonAlert
from .selectors import my_persons

HOME_LIST_SIZE = 60


def persons_panel(request) -> dict | None:
    """The persons of the acting unit (or establishment), within the user's visibility. Not
    for the direction, whose home is its decisions and figures (search and « Usagers » reach
    a person)."""
    assignment = request.assignment
    if not assignment or assignment.role in MANAGEMENT_ROLES:
        return None
    shown = list(my_persons(user=request.user, assignment=assignment)[: HOME_LIST_SIZE + 1])
    return {
        "assignment": assignment,
        "persons": shown[:HOME_LIST_SIZE],
        "more_persons": len(shown) > HOME_LIST_SIZE,
    }


def alert_facts(request, persons, establishment) -> dict:
    """The record alerts in force of these persons, of the categories the user reads in the
    establishment (as the header shows them): one query."""
    rights = user_rights_in(request.user, establishment.pk)
    readable = sorted(category for category, (read, _write) in rights.items() if read)
    facts: dict[int, list[Fact]] = {}
    if not readable:
        return facts
    alerts = PersonAlert.objects.filter(
        person_id__in=[p.pk for p in persons],
        entered_in_error=False,
        ended_on__isnull=True,
        category__in=readable,
    ).order_by("-level", "label")
    level = {"danger": "danger", "warning": "warn", "info": "neutral"}
    for alert in alerts.only("person_id", "label", "detail", "level"):
        facts.setdefault(alert.person_id, []).append(
            Fact(alert.label, level.get(alert.level, "neutral"), title=alert.detail)
        )
    return facts
