"""Reads of the dated events, always through the access layer (`persons_visible_to`)."""

from datetime import date, timedelta

from django.db.models import QuerySet

from dui.access.policy import persons_visible_to
from dui.core import dates

from .models import Event, EventKind


def agenda_events(
    *, user, establishment, unit=None, start: date, days: int, kinds=None
) -> QuerySet:
    """The events of the persons the user may see, staying in `unit` (or anywhere in the
    establishment) by the event's stay, from `start` for `days` days in the establishment's
    time zone, by time; entered-in-error ones left out, cancelled ones kept (struck through).
    The stay's unit is the unit where the person lives at the event's date."""
    since = dates.start_of_day(start, establishment)
    until = dates.start_of_day(start + timedelta(days=days), establishment)
    events = Event.objects.filter(
        stay__establishment=establishment,
        starts_at__gte=since,
        starts_at__lt=until,
        entered_in_error=False,
        person__in=persons_visible_to(user=user),
    )
    if unit is not None:
        events = events.filter(stay__unit=unit)
    if kinds:
        events = events.filter(kind__in=list(kinds))
    return events.order_by("starts_at", "pk")


def person_events(*, person, kind: str | None = EventKind.EXTERNAL_CARE) -> QuerySet:
    """One person's events (already opened through `person_view`), latest first."""
    events = Event.objects.filter(person=person)
    if kind:
        events = events.filter(kind=kind)
    return events.order_by("-starts_at", "-pk")
