"""Break-glass from search (issue 12, item 4; DESIGN §4.2).

When a search finds persons the user may not see, the results say only that a match exists in
the organisation — no name, no date, no count — and offer the emergency access to professions
that may open one (`access.policy.may_break_glass_in`). The access is granted only on the
person's exact identity (birth name, first birth first name, birth date: the strict traits the
RNIV asks to check before acting on a record) and a reason; the grant itself, its duration,
its journal line and its review are the access layer's (`access.services.break_glass_open`).
"""

from datetime import datetime

from django.conf import settings
from django.db.models import Q

from dui.access.models import CareTeamMembership
from dui.access.policy import (
    active_assignments,
    may_break_glass_in,
    organisation_ids,
    persons_visible_to,
)
from dui.core import dates

from .models import Person
from .names import begins_with, family_name
from .search import parse_search


def may_break_glass(user) -> bool:
    """Whether one of the user's assignments allows the emergency access (no query once the
    rights are cached for the request)."""
    return any(may_break_glass_in(user, a.establishment_id) for a in active_assignments(user))


def _followed_by_organisations(user, now: datetime):
    """Persons the user's organisations follow now, or left within the access window: those
    an emergency access may open (as `break_glass_open` checks)."""
    window = Q(valid_to__isnull=True) | Q(valid_to__gte=now - settings.ACCESS_WINDOW_AFTER_END)
    return CareTeamMembership.objects.filter(
        window, establishment__organisation_id__in=sorted(organisation_ids(user))
    ).values("person_id")


def hidden_match_exists(*, user, query: str) -> bool:
    """Whether the search finds, in the user's organisations, a person the user may not see
    (one query). Only a yes or no leaves this function."""
    # Imported here: the record's selectors import this module's neighbours.
    from .selectors import search_terms_q

    query = (query or "").strip()
    if not query or not may_break_glass(user):
        return False
    terms = parse_search(query, today=dates.today())
    if terms.is_empty:
        return False
    return (
        Person.objects.filter(merged_into__isnull=True)
        .filter(pk__in=_followed_by_organisations(user, dates.now()))
        .filter(search_terms_q(terms, organisation_ids=organisation_ids(user)))
        .exclude(pk__in=persons_visible_to(user=user).values("pk"))
        .exists()
    )


def person_by_exact_identity(*, user, birth_name: str, first_name: str, birth_date):
    """The one person of the user's organisations with exactly this birth name (case aside),
    birth date and first birth first name (word for word, `names.begins_with`); None when no
    one or several persons match (an identity that does not single out one person opens
    nothing). One query."""
    candidates = [
        p
        for p in Person.objects.filter(
            merged_into__isnull=True,
            birth_date=birth_date,
            birth_name__iexact=family_name(birth_name),
            pk__in=_followed_by_organisations(user, dates.now()),
        ).order_by("pk")[:5]
        if begins_with(p.first_names, first_name)
    ]
    return candidates[0] if len(candidates) == 1 else None
