"""The waiting list of an establishment: its priority rules and the manual ranking.

The establishment sets its criteria and their order (WaitingListPolicy): urgency, the rank the
direction gives, geographic origin (postcode of the address before admission), dependency (last
validated GIR, most dependent first), date of reception. Without a policy: urgency, manual
rank, date (`DEFAULT_WAITING_CRITERIA`). The ordering itself is `selectors.waiting_list`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction

from ..models import (
    AdmissionEvent,
    AdmissionRequest,
    AdmissionStatus,
    WaitingCriterion,
    WaitingListPolicy,
)
from ..permissions import may_rank
from .applications import lock_application
from .configuration import locked_setting

RANK_REFUSED = _(
    "Seules la direction et l'encadrement peuvent modifier le rang sur la liste d'attente."
)
RULES_REFUSED = _("Seules la direction et l'encadrement fixent les règles de la liste d'attente.")
STALE_RULES = _(
    "Les règles de la liste d'attente ont été modifiées par quelqu'un d'autre pendant votre "
    "saisie : rechargez la page."
)


@transaction.atomic
def waiting_list_rank_set(
    *, acting_user, application: AdmissionRequest, rank: int | None, reason: str, expected_version
) -> AdmissionRequest:
    """Give (or remove, with rank None) a manual rank on the waiting list, with a reason kept
    in the application's timeline and history."""
    if not may_rank(acting_user, application.establishment_id):
        raise AccessDenied(RANK_REFUSED, person=application.person)
    reason = writes.required_reason(reason, _("Indiquez pourquoi ce rang est attribué."))
    if rank is not None and rank < 1:
        raise ValidationError({"rank": _("Le rang commence à 1.")})
    application = lock_application(application, expected_version=expected_version)
    if application.status != AdmissionStatus.WAITING_LIST:
        raise ValidationError(_("Cette demande n'est pas sur la liste d'attente."))
    previous = application.waiting_rank
    application.waiting_rank = rank
    writes.save(application, acting_user=acting_user, reason=reason)
    AdmissionEvent.objects.create(
        application=application,
        by=acting_user,
        from_status=application.status,
        to_status=application.status,
        note=_("Rang sur la liste d'attente : %(old)s → %(new)s. %(reason)s")
        % {
            "old": previous if previous is not None else "—",
            "new": rank if rank is not None else "—",
            "reason": reason,
        },
    )
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=application.person, obj=application
    )
    return application


@transaction.atomic
def waiting_list_policy_set(
    *, acting_user, establishment, criteria: list[str], local_postcodes: str = "", expected_version
) -> WaitingListPolicy:
    if not may_rank(acting_user, establishment.pk):
        raise AccessDenied(RULES_REFUSED)
    unknown = [c for c in criteria if c not in WaitingCriterion.values]
    if unknown or not criteria or len(set(criteria)) != len(criteria):
        raise ValidationError(
            {"criteria": _("Choisissez des critères de la liste, chacun une seule fois.")}
        )
    policy = locked_setting(
        WaitingListPolicy,
        lookup={"establishment": establishment},
        expected_version=expected_version,
        stale_message=STALE_RULES,
    )
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
    writes.save(policy, acting_user=acting_user)
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=policy)
    return policy
