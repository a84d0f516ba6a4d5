"""Reads of the access layer's own data (journal, break-glass), scoped to the reader."""

from datetime import date, timedelta

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet

from dui.core import dates

from .models import AccessEvent, BreakGlass, CareTeamMembership
from .policy import management_establishment_ids


def journal_events(
    *,
    user,
    person=None,
    professional=None,
    date_from: date | None = None,
    date_to: date | None = None,
    action: str = "",
) -> QuerySet:
    """Journal entries a director / DPO may review: every access to a person their
    establishments follow (the person's right to know who accessed), and what professionals
    did while acting under one of their establishments — never what they did elsewhere."""
    managed = management_establishment_ids(user)
    if not managed:
        return AccessEvent.objects.none()
    scope = Q(
        Exists(
            CareTeamMembership.objects.filter(
                person=OuterRef("person_id"), establishment_id__in=managed
            )
        )
    ) | Q(assignment__establishment_id__in=managed)
    events = AccessEvent.objects.filter(scope)
    if person is not None:
        events = events.filter(person=person)
    if professional is not None:
        events = events.filter(user=professional)
    # Days of the reader's establishment (the zone the request activated): from the start of
    # the first day to the start of the day after the last — not 24 hours after it, a day of
    # a clock change lasts 23 or 25.
    if date_from:
        events = events.filter(occurred_at__gte=dates.start_of_day(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=dates.start_of_day(date_to + timedelta(days=1)))
    if action:
        events = events.filter(action=action)
    return events.select_related(
        "user__profession", "person", "assignment__establishment", "assignment__unit"
    ).order_by("-occurred_at", "-pk")


def break_glasses_for_review(*, user, pending_only: bool = False) -> QuerySet:
    managed = management_establishment_ids(user)
    grants = BreakGlass.objects.filter(
        Q(person_establishment_id__in=managed) | Q(user_establishment_id__in=managed)
    )
    if pending_only:
        grants = grants.filter(reviewed_at__isnull=True)
    return grants.select_related(
        "user__profession",
        "person",
        "assignment__establishment",
        "person_establishment",
        "reviewed_by",
    ).order_by("-opened_at")


def professionals_reviewable_by(*, user) -> QuerySet:
    """Professionals whose journal this director / DPO may read."""
    user_model = apps.get_model("accounts", "User")
    managed = management_establishment_ids(user)
    assignment_model = apps.get_model("accounts", "Assignment")
    current = assignment_model.objects.active().filter(establishment_id__in=managed)
    return user_model.objects.filter(pk__in=current.values("user_id"))
