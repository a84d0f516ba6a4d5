"""Reads of the partner directory: always scoped to organisations the user belongs to."""

from django.db.models import QuerySet

from dui.access.policy import active_assignments, organisation_ids
from dui.organisation.models import Organisation

from .models import Partner
from .services import may_manage_partners


def partners_of(
    *, organisation_ids, kind: str | None = None, query: str = "", active_only: bool = False
) -> QuerySet:
    """Partners of these organisations, optionally of one kind and whose name contains `query`."""
    partners = Partner.objects.filter(organisation_id__in=list(organisation_ids))
    if kind:
        partners = partners.filter(kind=kind)
    for word in (query or "").split():
        partners = partners.filter(name__icontains=word)
    if active_only:
        partners = partners.filter(is_active=True)
    return partners.order_by("-is_active", "name", "pk")


def partners_visible_to(
    *, user, kind: str | None = None, query: str = "", active_only: bool = False
) -> QuerySet:
    """The directory of the user's own organisation(s)."""
    return partners_of(
        organisation_ids=organisation_ids(user), kind=kind, query=query, active_only=active_only
    ).select_related("organisation")


def partner_manager_organisations(user) -> list:
    """Organisations whose directory the user may add to and edit (same rule as the services:
    `services.may_manage_partners`), ordered by name."""
    if not active_assignments(user):
        return []
    organisations = Organisation.objects.filter(pk__in=organisation_ids(user)).order_by("name")
    return [o for o in organisations if may_manage_partners(user, o)]
