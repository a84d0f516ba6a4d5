"""The waiting list of an establishment and its manual ranking.

Rule (the order of `selectors.waiting_list`): urgent applications first; then those given a
manual rank (`waiting_rank`, 1 first) by the direction or the management; then the others by
date of reception (oldest first). The GIR / needs fit and the geographic origin are not
criteria yet."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access import journal
from dui.access.models import AccessAction
from dui.access.policy import active_assignments

from .models import AdmissionEvent, AdmissionRequest, AdmissionStatus

RANKING_ROLES = ("director", "manager")


def may_rank(user, establishment_id: int) -> bool:
    """Direction and management (assignment role) of the establishment set manual ranks."""
    return any(
        a.establishment_id == establishment_id and a.role in RANKING_ROLES
        for a in active_assignments(user)
    )


@transaction.atomic
def waiting_list_rank_set(
    *, acting_user, request: AdmissionRequest, rank: int | None, reason: str
) -> AdmissionRequest:
    """Give (or remove, with rank None) a manual rank on the waiting list, with a reason kept
    in the application's timeline and history."""
    request = AdmissionRequest.objects.select_for_update().get(pk=request.pk)
    if not may_rank(acting_user, request.establishment_id):
        raise PermissionDenied(
            _(
                "Seules la direction et l'encadrement peuvent modifier le rang sur la liste d'attente."
            )
        )
    if request.status != AdmissionStatus.WAITING_LIST:
        raise ValidationError(_("Cette demande n'est pas sur la liste d'attente."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez pourquoi ce rang est attribué.")})
    if rank is not None and rank < 1:
        raise ValidationError({"rank": _("Le rang commence à 1.")})
    previous = request.waiting_rank
    request.waiting_rank = rank
    request.version += 1
    request.updated_by = acting_user
    request._history_user = acting_user
    request._change_reason = reason
    request.full_clean()
    request.save()
    AdmissionEvent.objects.create(
        request=request,
        by=acting_user,
        from_status=request.status,
        to_status=request.status,
        note=_("Rang sur la liste d'attente : %(old)s → %(new)s. %(reason)s")
        % {
            "old": previous if previous is not None else "—",
            "new": rank if rank is not None else "—",
            "reason": reason,
        },
    )
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=request.person, obj=request)
    return request


def days_since(day) -> int:
    return (timezone.localdate() - day).days
