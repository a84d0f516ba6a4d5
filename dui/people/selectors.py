"""Reads of person data, always through the access layer."""

from datetime import date, datetime

from django.db.models import Q, QuerySet

from dui.access.models import CareTeamMembership
from dui.access.policy import organisation_ids, persons_visible_to

from .search import normalise_name


def person_search(*, user, query: str = "", unit_id=None) -> QuerySet:
    """Visible persons matching a name prefix (accents and case ignored) or a birth date."""
    persons = persons_visible_to(user=user)
    if unit_id:
        current = CareTeamMembership.objects.filter(valid_to__isnull=True, unit_id=unit_id)
        persons = persons.filter(pk__in=current.values("person_id"))
    query = (query or "").strip()
    if query:
        day = parse_french_date(query)
        if day:
            persons = persons.filter(birth_date=day)
        else:
            for word in normalise_name(query).split():
                # Prefix of any word of the names: "dup" finds "Dupont", "jean" finds "Jean-Marc".
                persons = persons.filter(
                    Q(search_name__startswith=word) | Q(search_name__contains=" " + word)
                )
    return persons.order_by("birth_name", "first_names", "pk")


def parse_french_date(value: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def person_memberships(*, person, user) -> list:
    """Where the person is followed (establishment / unit), for the record header: only
    within the user's own organisations — the rest of their path is not theirs to know."""
    return list(
        CareTeamMembership.objects.filter(
            person=person, establishment__organisation_id__in=organisation_ids(user)
        )
        .select_related("establishment", "unit")
        .order_by("-valid_from")
    )
