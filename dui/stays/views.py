"""The occupancy page: the places of the establishment and who holds them."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dui.access.decorators import person_data_view
from dui.access.errors import AccessDenied
from dui.access.policy import active_assignments
from dui.core import dates

from .selectors import occupancy

NO_ASSIGNMENT = _("Vous n'avez aucune affectation active.")


def _parse_day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


@login_required
@require_safe
@person_data_view
def occupancy_page(request):
    """Occupation of the establishment of the current assignment: per unit, the places, who
    holds them today and on a chosen date (names only for the persons the user may see)."""
    assignment = request.assignment
    if not assignment:
        raise AccessDenied(NO_ASSIGNMENT)
    establishment = assignment.establishment
    today = dates.today(establishment)
    day = _parse_day(request.GET.get("date"), today)
    if request.GET.get("date") and day == today and request.GET["date"] != today.isoformat():
        messages.error(request, _("Date invalide : l'occupation est affichée pour aujourd'hui."))
    board = occupancy(user=request.user, establishment=establishment, day=day)
    return render(
        request,
        "stays/occupancy.html",
        {"board": board, "day": day, "today": today, "is_today": day == today},
    )


def may_see_occupancy(request) -> bool:
    return bool(active_assignments(request.user))
