"""Reads of stays, for the record header, search and (later) occupancy."""

from dui.access.policy import organisation_ids

from .models import Stay


def current_stay(*, person, user) -> Stay | None:
    """The person's current stay within the user's organisations (one query)."""
    return (
        Stay.objects.filter(
            person=person,
            ended_on__isnull=True,
            establishment__organisation_id__in=organisation_ids(user),
        )
        .select_related("establishment", "unit", "place")
        .order_by("-started_on")
        .first()
    )
