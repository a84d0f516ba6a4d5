"""Where a person is now, told by the brick that knows the pathway.

The record does not import the pathway (DESIGN §5, checked by import-linter): the header's
"establishment · unit · room" and the search by room come from providers that the stays brick
registers in its AppConfig.ready(), as other bricks register their badges and tabs
(`record.py`). Without a provider the header shows no placement and no room is found.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Placement:
    """What the header says about where the person is followed now."""

    establishment: str
    unit: str = ""
    room: str = ""


# (person, user) -> Placement | None; one query at most, within the user's organisations.
_placement_providers: list[Callable] = []
# (labels, organisation_ids) -> a queryset of one column (person ids) of the persons whose
# current stay is on a place with one of these labels (case ignored), in these organisations
# (all of them when None).
_room_lookups: list[Callable] = []


def register_header_placement(provider: Callable) -> None:
    if provider not in _placement_providers:
        _placement_providers.append(provider)


def register_room_lookup(lookup: Callable) -> None:
    if lookup not in _room_lookups:
        _room_lookups.append(lookup)


def header_placement(*, person, user) -> Placement | None:
    """The first placement a provider knows for this person, as this user may see it."""
    for provider in _placement_providers:
        placement = provider(person=person, user=user)
        if placement is not None:
            return placement
    return None


def room_person_ids(labels, *, organisation_ids=None, empty: QuerySet) -> QuerySet:
    """Ids of the persons in these rooms now (`empty`, a one-column queryset matching nothing,
    when no brick tells rooms)."""
    found = [lookup(labels, organisation_ids=organisation_ids) for lookup in _room_lookups]
    if not found:
        return empty
    return found[0].union(*found[1:]) if len(found) > 1 else found[0]
