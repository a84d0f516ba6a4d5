"""Who may see which person, and which categories of their record (DESIGN.md §4.1–4.2).

One object answers "may this user do X to this person?" (`person_access`) and one queryset
"which persons may this user see?" (`persons_visible_to`). Both read the same rules: the
user's active assignments × the dated care-team memberships, plus active break-glass grants.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .matrix import default_rights
from .models import BreakGlass, CareTeamMembership, CategoryPermission, InformationCategory

MANAGEMENT_ROLES = ("director", "dpo")


def person_model():
    return apps.get_model(settings.ACCESS_PERSON_MODEL)


def active_assignments(user) -> list:
    """The user's assignments valid today, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_dui_active_assignments", None)
    if cached is None:
        assignment_model = apps.get_model("accounts", "Assignment")
        cached = list(
            assignment_model.objects.active()
            .filter(user=user)
            .select_related("establishment", "unit")
            .order_by("establishment__name", "unit__name", "pk")
        )
        user._dui_active_assignments = cached
    return cached


def _assignment_scope(assignment) -> Q:
    """Memberships an assignment covers: its unit, or the whole establishment."""
    if assignment.unit_id:
        return Q(establishment_id=assignment.establishment_id, unit_id=assignment.unit_id)
    return Q(establishment_id=assignment.establishment_id)


def _window_q(now: datetime) -> Q:
    """Current memberships, and ended ones still inside the access window after discharge."""
    return Q(valid_from__lte=now) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=now - settings.ACCESS_WINDOW_AFTER_END)
    )


def _scope_q(assignments) -> Q | None:
    scope = None
    for assignment in assignments:
        scope = (
            _assignment_scope(assignment)
            if scope is None
            else scope | _assignment_scope(assignment)
        )
    return scope


def persons_visible_to(*, user, at: datetime | None = None) -> QuerySet:
    """Persons this user may open now: the one entry point to person data for views and APIs."""
    persons = person_model().objects.all()
    if not getattr(user, "is_authenticated", False):
        return persons.none()
    now = at or timezone.now()
    conditions = Q(
        Exists(
            BreakGlass.objects.filter(
                user=user, person=OuterRef("pk"), opened_at__lte=now, expires_at__gt=now
            )
        )
    )
    scope = _scope_q(reading_assignments(user))
    if scope is not None:
        conditions |= Q(
            Exists(CareTeamMembership.objects.filter(scope, _window_q(now), person=OuterRef("pk")))
        )
    return persons.filter(conditions)


def _user_rights(user, establishment_ids: set[int]) -> dict[int, dict[str, tuple[bool, bool]]]:
    """The user's category rights per establishment, cached on the user for the request."""
    cache = user.__dict__.setdefault("_dui_rights", {})
    missing = sorted(set(establishment_ids) - set(cache))
    if missing:
        cache.update(
            category_rights_for(
                establishment_ids=missing, profession=getattr(user, "profession", None)
            )
        )
    return {est: cache[est] for est in establishment_ids}


def user_rights_in(user, establishment_id: int) -> dict[str, tuple[bool, bool]]:
    """{category: (read, write)} of the user's profession in one establishment, from the
    per-request cache (no query once the user's rights were read for the request)."""
    return _user_rights(user, {establishment_id})[establishment_id]


def reading_assignments(user) -> list:
    """Active assignments under which the user's profession may read at least one category
    (the system administrator, for instance, reads no one's record)."""
    assignments = active_assignments(user)
    if not assignments:
        return []
    rights = _user_rights(user, {a.establishment_id for a in assignments})
    return [
        a
        for a in assignments
        if any(can_read for can_read, _w in rights[a.establishment_id].values())
    ]


def establishment_matrix(
    *, establishment_id: int, professions
) -> dict[str, dict[str, tuple[bool, bool]]]:
    """The whole profession × category matrix of one establishment, in one query."""
    matrix = {
        p.code: {cat: default_rights(p.code, cat) for cat in InformationCategory.values}
        for p in professions
    }
    overrides = CategoryPermission.objects.filter(establishment_id=establishment_id).values_list(
        "profession__code", "category", "can_read", "can_write"
    )
    for code, category, can_read, can_write in overrides:
        if code in matrix:
            matrix[code][category] = (can_read, can_write)
    return matrix


def category_rights_for(
    *, establishment_ids, profession
) -> dict[int, dict[str, tuple[bool, bool]]]:
    code = profession.code if profession else None
    rights = {
        est: {cat: default_rights(code, cat) for cat in InformationCategory.values}
        for est in establishment_ids
    }
    if profession is not None and establishment_ids:
        overrides = CategoryPermission.objects.filter(
            establishment_id__in=establishment_ids, profession=profession
        ).values_list("establishment_id", "category", "can_read", "can_write")
        for est, category, can_read, can_write in overrides:
            rights[est][category] = (can_read, can_write)
    return rights


@dataclass
class PersonAccess:
    """What one user may do with one person's record, right now."""

    person: object
    assignments: list = field(default_factory=list)
    break_glass: BreakGlass | None = None
    readable: frozenset[str] = frozenset()
    writable: frozenset[str] = frozenset()

    @property
    def visible(self) -> bool:
        return bool(self.assignments) or self.break_glass is not None

    @property
    def via_break_glass(self) -> bool:
        return not self.assignments and self.break_glass is not None

    @property
    def acting_assignment(self):
        if self.assignments:
            return self.assignments[0]
        return self.break_glass.assignment if self.break_glass else None

    def can_read(self, category: str) -> bool:
        return category in self.readable

    def can_write(self, category: str) -> bool:
        return category in self.writable


def person_access(*, user, person, at: datetime | None = None) -> PersonAccess:
    """Resolve a user's rights on a person in a bounded number of queries (≤ 5)."""
    access = PersonAccess(person=person)
    if not getattr(user, "is_authenticated", False):
        return access
    now = at or timezone.now()
    assignments = reading_assignments(user)
    memberships = []
    scope = _scope_q(assignments)
    if scope is not None:
        memberships = list(
            CareTeamMembership.objects.filter(scope, _window_q(now), person=person).values(
                "establishment_id", "unit_id", "valid_to"
            )
        )
    current_establishments: set[int] = set()
    for assignment in assignments:
        for membership in memberships:
            covered = membership["establishment_id"] == assignment.establishment_id and (
                assignment.unit_id is None or membership["unit_id"] == assignment.unit_id
            )
            if covered:
                if assignment not in access.assignments:
                    access.assignments.append(assignment)
                if membership["valid_to"] is None or membership["valid_to"] > now:
                    current_establishments.add(assignment.establishment_id)
    if not access.assignments:
        access.break_glass = (
            BreakGlass.objects.filter(
                user=user, person=person, opened_at__lte=now, expires_at__gt=now
            )
            .select_related("assignment")
            .order_by("-expires_at")
            .first()
        )
    if not access.visible:
        return access

    if access.assignments:
        establishment_ids = {a.establishment_id for a in access.assignments}
    else:
        bg_assignment = access.break_glass.assignment
        establishment_ids = {bg_assignment.establishment_id} if bg_assignment else set()
        # Emergency access is for reading; writing stays with the team in charge.
    rights = _user_rights(user, establishment_ids)
    readable, writable = set(), set()
    for establishment_id, by_category in rights.items():
        for category, (can_read, can_write) in by_category.items():
            if can_read:
                readable.add(category)
            # After discharge the team keeps reading during the window, but writes no more.
            if can_write and establishment_id in current_establishments:
                writable.add(category)
    access.readable = frozenset(readable)
    # A record merged into another stays readable for its history, but is written no more:
    # entries go to the kept record (an entry here would be read by no one).
    access.writable = (
        frozenset() if getattr(person, "merged_into_id", None) else frozenset(writable)
    )
    return access


def management_establishment_ids(user, roles=MANAGEMENT_ROLES) -> set[int]:
    """Establishments where the user is director (or DPO): review and journal screens."""
    return {a.establishment_id for a in active_assignments(user) if a.role in roles}


def assigned_establishment_ids(user) -> set[int]:
    """Establishments where the user has an active assignment: the scope of an establishment's
    own files (applications, welcome, contracts), narrower than the person's visibility."""
    return {a.establishment_id for a in active_assignments(user)}


def may_write_in(user, establishment_id: int, category: str) -> bool:
    """Whether the user, assigned to this establishment, writes this category there (an
    establishment's own files: records it opens, applications, admissions, letters)."""
    if establishment_id not in assigned_establishment_ids(user):
        return False
    return user_rights_in(user, establishment_id)[category][1]


# Emergency access is for the care of the person (DESIGN §4.2): only professions that read the
# care or the medical part of a record may open it. The system administrator and the DPO read
# no record: the DPO reads the journal, not the record (issue 10).
BREAK_GLASS_CATEGORIES = (InformationCategory.CARE, InformationCategory.MEDICAL)


def may_break_glass_in(user, establishment_id: int) -> bool:
    rights = user_rights_in(user, establishment_id)
    return any(rights[category][0] for category in BREAK_GLASS_CATEGORIES)


def organisation_ids(user) -> set[int]:
    return {a.establishment.organisation_id for a in active_assignments(user)}
