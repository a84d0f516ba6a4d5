"""Reads of person data, always through the access layer.

The record does not know the pathway (DESIGN §5, import-linter): where a person stays now
(for the header) and who sleeps in a room (for the search) are told by the brick that owns
stays, through registries (`register_header_placement`,
`register_room_lookup` in `placement.py`)."""

from datetime import date

from django.db.models import Q, QuerySet

from dui.access.models import CareTeamMembership, InformationCategory
from dui.access.policy import organisation_ids, persons_visible_to
from dui.core import dates
from dui.documents.selectors import person_photo

from .majority import Majority
from .models import (
    AdministrativeFile,
    Contact,
    IdentityEvidence,
    LegalProtection,
    ParentalAuthority,
    ParentalRole,
    Person,
    PersonAlert,
)
from .placement import room_person_ids
from .protection import Act, signing_for
from .search import SearchTerms, parse_birth_dates, parse_search


def person_search(*, user, query: str = "", unit_id=None) -> QuerySet:
    """Visible persons (merged records left out) matching what was typed in the search box:
    a name prefix (accents and case ignored), a birth date, a NIR, a room (see
    `search.parse_search`). One query, whatever the number of persons: on PostgreSQL the name
    prefixes are served by the trigram index `person_search_name_trgm`, elsewhere by the
    B-tree index of `search_name`."""
    persons = persons_visible_to(user=user).filter(merged_into__isnull=True)
    if unit_id:
        current = CareTeamMembership.objects.filter(valid_to__isnull=True, unit_id=unit_id)
        persons = persons.filter(pk__in=current.values("person_id"))
    query = (query or "").strip()
    if query:
        terms = parse_search(query, today=dates.today())
        if terms.is_empty:
            return persons.none()
        persons = persons.filter(search_terms_q(terms, organisation_ids=organisation_ids(user)))
    return persons.order_by("birth_name", "first_names", "pk")


def my_persons(*, user, assignment) -> QuerySet:
    """The persons the acting unit accompanies now (or, for an assignment to a whole
    establishment, the establishment), within what the user may see."""
    persons = person_search(user=user, unit_id=assignment.unit_id)
    if not assignment.unit_id:
        current = CareTeamMembership.objects.filter(
            establishment_id=assignment.establishment_id, valid_to__isnull=True
        )
        persons = persons.filter(pk__in=current.values("person_id"))
    return persons


def parse_french_date(value: str) -> date | None:
    """A complete date typed as 12/04/1936, 12/04/36 or 1936-04-12; None otherwise (a
    2-digit year is read as in `search.parse_birth_dates`, the most recent possible first)."""
    for span in parse_birth_dates(value or "", today=dates.today()):
        if span.first == span.last:
            return span.first
    return None


def search_terms_q(terms: SearchTerms, *, organisation_ids=None) -> Q:
    """The condition on persons for parsed search terms.

    Each kind of term is written so that its index serves it: name prefixes and birth dates
    on the person's own columns, the NIR and the room as the ids of a few persons (INS,
    insured number, current stay on the place). Several kinds at once (« 1938 »: a birth year
    or a room) are the union of their ids, never an OR across tables, which would read every
    person. Rooms are those of `organisation_ids` (the user's) when given: a room number means
    a room of the user's establishments, as the record header shows only those stays."""
    parts: list[tuple[Q, list[QuerySet]]] = []
    if terms.words or terms.birth_dates:
        names = _names_and_dates_q(terms)
        parts.append((names, [Person.objects.filter(names).order_by().values("pk")]))
    if terms.nir:
        ids = _nir_person_ids(terms.nir)
        parts.append((Q(pk__in=ids[0].union(ids[1])), ids))
    if terms.room_labels:
        ids = [
            room_person_ids(
                terms.room_labels,
                organisation_ids=organisation_ids,
                empty=Person.objects.none().values("pk"),
            )
        ]
        parts.append((Q(pk__in=ids[0]), ids))
    if len(parts) == 1:
        return parts[0][0]
    leaves = [leaf for _q, leaf_querysets in parts for leaf in leaf_querysets]
    return Q(pk__in=leaves[0].union(*leaves[1:]))


def _names_and_dates_q(terms: SearchTerms) -> Q:
    conditions = Q()
    for word in terms.words:
        # Prefix of any word of the names: "dup" finds "Dupont", "jean" finds "Jean-Marc".
        # Both LIKE patterns are served by the trigram index on PostgreSQL.
        conditions &= Q(search_name__startswith=word) | Q(search_name__contains=" " + word)
    if terms.birth_dates:
        dates = Q()
        for span in terms.birth_dates:
            dates |= (
                Q(birth_date=span.first)
                if span.first == span.last
                else Q(birth_date__range=(span.first, span.last))
            )
        conditions &= dates
    return conditions


def _nir_person_ids(number: str) -> list[QuerySet]:
    """Persons whose INS is this NIR, and those insured under it (the carte Vitale of a child
    may carry a parent's NIR). Both are stored compact (15 characters)."""
    return [
        Person.objects.filter(ins_number=number).order_by().values("pk"),
        AdministrativeFile.objects.filter(insured_number=number).order_by().values("person_id"),
    ]


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


def identity_evidence_of(*, person) -> list[IdentityEvidence]:
    """The identity documents checked for this person, latest first, with who checked them."""
    return list(
        person.identity_evidence.select_related("checked_by", "document").order_by(
            "-checked_on", "-pk"
        )
    )


def evidence_guarantors(*, person) -> list[ParentalAuthority]:
    """Who may present their own identity document for a minor's birth certificate or family
    book (RNIV 2024 §3.3.3): the parents, tutor or délégataire recorded in the child's parental
    authority now. None for an adult."""
    if person.majority_on() == Majority.ADULT:
        return []
    return [
        row
        for row in ParentalAuthority.objects.current()
        .filter(person=person)
        .exclude(role=ParentalRole.CUSTODIAN)
        .select_related("holder_contact", "holder_partner", "person")
        .order_by("started_on", "pk")
        if row.is_current
    ]


def record_header(*, person, access) -> dict:
    """What the record itself puts in the header of every page of a person, in a fixed number
    of queries (the bricks add their badges and the placement: `record.render_record`).

    « Qui signe, qui est informé » is `protection.who_signs` for the contract, on the rows read
    here once: the measures in force and, for a minor, the holders of parental authority."""
    can_admin = access.can_read(InformationCategory.ADMINISTRATIVE)
    protections = []
    authorities = []
    trusted_person = None
    signing = None
    if can_admin:
        today = dates.today()
        majority = person.majority_on(today)
        protections = list(
            LegalProtection.objects.current(today)
            .filter(person=person)
            .select_related("representative_contact", "representative_partner")
            .order_by("started_on", "pk")
        )
        if majority != Majority.ADULT:
            authorities = [
                row
                for row in ParentalAuthority.objects.current(today)
                .filter(person=person)
                .select_related("holder_contact", "holder_partner", "person")
                .order_by("started_on", "pk")
                if row.is_current_on(today)
            ]
        if protections or authorities or majority != Majority.ADULT:
            signing = signing_for(
                person,
                act=Act.CONTRACT,
                on=today,
                majority=majority,
                measures=protections,
                authorities=authorities,
            )
        trusted_person = (
            Contact.objects.trusted_person_of(person)
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
        "protections": protections,
        "parental_authorities": authorities,
        "signing": signing,
        "trusted_person": trusted_person,
        "alerts": alerts,
        "photo": person_photo(person=person) if can_admin else None,
    }
