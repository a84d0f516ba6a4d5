"""Reads of external care, always through the access layer: the person's appointments (the
record's tab, opened through `person_view`), the unit's agenda (`persons_visible_to`, through
`dui.support.selectors`), today's appointments of the persons of a list (« Ma journée »)."""

from datetime import timedelta

from django.db.models import QuerySet

from dui.core import dates
from dui.support import selectors as event_selectors
from dui.support.models import Event, EventKind, EventStatus

AGENDA_DEFAULT_DAYS = 8  # today and the next 7 days (issue 13, item 6)
AGENDA_MAX_DAYS = 31

_DISPLAY = (
    "appointment",
    "appointment__partner",
    "appointment__report_document",
)


def person_appointments(*, person) -> QuerySet:
    """The person's external-care events with their details, latest first."""
    return (
        event_selectors.person_events(person=person, kind=EventKind.EXTERNAL_CARE)
        .filter(entered_in_error=False)
        .select_related(*_DISPLAY, "status_changed_by")
    )


def entered_in_error(*, person) -> QuerySet:
    """The person's appointments marked « saisi par erreur », latest first."""
    return event_selectors.person_events(person=person, kind=EventKind.EXTERNAL_CARE).filter(
        entered_in_error=True
    )


def split_upcoming(events: QuerySet, establishment=None) -> tuple[QuerySet, QuerySet]:
    """(from today on, soonest first; before today, latest first)."""
    start = dates.start_of_day(dates.today(establishment), establishment)
    return (
        events.filter(starts_at__gte=start).order_by("starts_at", "pk"),
        events.filter(starts_at__lt=start).order_by("-starts_at", "-pk"),
    )


def agenda(*, user, establishment, unit, start, days: int) -> QuerySet:
    """The unit's events of these days, by time, with what each line shows: the person, the
    room, the appointment's partner, transport and companion — one query per page."""
    return event_selectors.agenda_events(
        user=user, establishment=establishment, unit=unit, start=start, days=days
    ).select_related("person", "stay__place", "stay__unit", *_DISPLAY[:2])


def today_appointments(person_ids, establishment) -> list[Event]:
    """Today's external appointments still to happen of these persons (one query)."""
    today = dates.today(establishment)
    return list(
        Event.objects.filter(
            person_id__in=list(person_ids),
            kind=EventKind.EXTERNAL_CARE,
            stay__establishment=establishment,
            status__in=(EventStatus.PLANNED, EventStatus.VALIDATED),
            entered_in_error=False,
            starts_at__gte=dates.start_of_day(today, establishment),
            starts_at__lt=dates.start_of_day(today + timedelta(days=1), establishment),
        )
        .select_related("appointment__partner")
        .order_by("starts_at", "pk")
    )


def today_unit_appointments(*, user, establishment, unit) -> QuerySet:
    """Today's external appointments still to happen in the unit (or establishment), of the
    persons the user may see."""
    return event_selectors.agenda_events(
        user=user,
        establishment=establishment,
        unit=unit,
        start=dates.today(establishment),
        days=1,
        kinds=[EventKind.EXTERNAL_CARE],
    ).filter(status__in=(EventStatus.PLANNED, EventStatus.VALIDATED))
