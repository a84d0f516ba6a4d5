"""The waiting list of an establishment: its priority rules and the manual ranking.

The establishment sets its criteria and their order (WaitingListPolicy): urgency, the rank the
direction gives, geographic origin (postcode of the address before admission), dependency (last
validated GIR, most dependent first), date of reception. Without a policy: urgency, manual
rank, date (`DEFAULT_WAITING_CRITERIA`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access import journal
from dui.access.models import AccessAction
from dui.access.policy import active_assignments

from .models import (
    DEFAULT_WAITING_CRITERIA,
    AdmissionEvent,
    AdmissionRequest,
    AdmissionStatus,
    WaitingCriterion,
    WaitingListPolicy,
)

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


def policy_for(establishment) -> WaitingListPolicy:
    """The establishment's rules, or the default ones (not saved)."""
    policy = WaitingListPolicy.objects.filter(establishment=establishment).first()
    return policy or WaitingListPolicy(
        establishment=establishment, criteria=list(DEFAULT_WAITING_CRITERIA)
    )


@transaction.atomic
def waiting_list_policy_set(
    *, acting_user, establishment, criteria: list[str], local_postcodes: str = ""
) -> WaitingListPolicy:
    if not may_rank(acting_user, establishment.pk):
        raise PermissionDenied(
            _("Seules la direction et l'encadrement fixent les règles de la liste d'attente.")
        )
    unknown = [c for c in criteria if c not in WaitingCriterion.values]
    if unknown or not criteria or len(set(criteria)) != len(criteria):
        raise ValidationError(
            {"criteria": _("Choisissez des critères de la liste, chacun une seule fois.")}
        )
    policy = (
        WaitingListPolicy.objects.select_for_update().filter(establishment=establishment).first()
    )
    if policy is None:
        policy = WaitingListPolicy(establishment=establishment, created_by=acting_user)
    policy.criteria = criteria
    policy.local_postcodes = local_postcodes.strip()
    if WaitingCriterion.LOCAL in criteria and not policy.postcode_prefixes:
        raise ValidationError(
            {"local_postcodes": _("Indiquez les codes postaux du territoire pour ce critère.")}
        )
    if any(not p.isdigit() or len(p) > 5 for p in policy.postcode_prefixes):
        raise ValidationError(
            {
                "local_postcodes": _(
                    "Des débuts de codes postaux, en chiffres, séparés par des virgules."
                )
            }
        )
    policy.updated_by = acting_user
    policy._history_user = acting_user
    policy.full_clean()
    policy.save()
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=policy)
    return policy
