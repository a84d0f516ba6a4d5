"""What the targeted notes add to « Ma journée » (dui.core.home): the count of important notes
not yet read on the handover, and a badge on each person of the day list who has one."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import ngettext

from dui.core.home import Fact, Todo

from . import selectors
from .models import Note, NoteRead


def _scope(request):
    assignment = getattr(request, "assignment", None) or None
    if assignment is None:
        return None
    categories = selectors.categories_read_in(request.user, assignment.establishment_id)
    if not categories:
        return None
    return assignment.establishment, assignment.unit, categories


def unread_important_todos(request) -> list[Todo]:
    """« N transmissions importantes non lues » since the start of the previous shift, in the
    user's unit (or establishment), of the categories the user reads → the handover. Two
    queries (the care settings, the count)."""
    scope = _scope(request)
    if scope is None:
        return []
    establishment, unit, categories = scope
    window = selectors.handover_window(establishment)
    count = selectors.unread_important(
        user=request.user,
        establishment=establishment,
        unit=unit,
        categories=categories,
        since=window.since,
    ).count()
    label = ngettext(
        "%(n)s transmission importante non lue",
        "%(n)s transmissions importantes non lues",
        count,
    ) % {"n": count}
    return [Todo(label, count, reverse("care:notes_handover"), level="warn", order=20)]


def unread_important_facts(request, persons, establishment) -> dict:
    """« Transmission importante non lue » on each person of the day list who has one: one
    query for the whole list (plus the establishment's care settings)."""
    categories = selectors.categories_read_in(request.user, establishment.pk)
    if not categories or not persons:
        return {}
    window = selectors.handover_window(establishment)
    person_ids = (
        Note.objects.filter(
            person_id__in=[p.pk for p in persons],
            establishment=establishment,
            important=True,
            superseded=False,
            entered_in_error=False,
            created_at__gte=window.since,
            category__in=categories,
        )
        .exclude(Exists(NoteRead.objects.filter(note=OuterRef("pk"), user=request.user)))
        .order_by()
        .values_list("person_id", flat=True)
        .distinct()
    )
    url = reverse("care:notes_handover")
    return {pk: [Fact("Transmission importante non lue", "warn", url)] for pk in set(person_ids)}


def handover_panel(request):
    """A link to the handover of the user's unit on « Ma journée », with the shift under way
    (one query: the care settings); None for a user who reads no note category."""
    scope = _scope(request)
    if scope is None:
        return None
    establishment, unit, _categories = scope
    window = selectors.handover_window(establishment)
    return {"unit": unit, "establishment": establishment, "window": window}
