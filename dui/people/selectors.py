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


def record_header(*, person, user, access) -> dict:
    """What the header of every page of a person shows, in a fixed number of queries."""
    from dui.access.models import InformationCategory
    from dui.documents.selectors import person_photo
    from dui.stays.selectors import current_stay

    from .models import Contact, LegalProtection, PersonAlert
    from .protection import signing_rule
    from .record import header_badges

    can_admin = access.can_read(InformationCategory.ADMINISTRATIVE)
    protections = []
    trusted_person = None
    if can_admin:
        protections = list(
            LegalProtection.objects.filter(LegalProtection.current_q(), person=person)
            .select_related("representative_contact", "representative_partner")
            .order_by("-started_on")
        )
        for protection in protections:
            protection.signing = signing_rule(protection.kind)
        trusted_person = (
            Contact.objects.filter(
                person=person, is_trusted_person=True, ended_on__isnull=True, entered_in_error=False
            )
            .only("last_name", "first_name", "phone", "relationship", "person_id")
            .first()
        )
    alerts = list(
        PersonAlert.objects.filter(
            person=person,
            entered_in_error=False,
            ended_on__isnull=True,
            category__in=sorted(access.readable),
        ).order_by("-level", "label")
    )
    return {
        "stay": current_stay(person=person, user=user),
        "protections": protections,
        "trusted_person": trusted_person,
        "alerts": alerts,
        "photo": person_photo(person=person) if can_admin else None,
        "badges": header_badges(person, access),
    }
