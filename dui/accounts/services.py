"""Writes about professionals and their sessions. Each is one transaction, journaled."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction
from dui.access.policy import management_establishment_ids
from dui.core import dates

from .models import Assignment, SecondFactorExemption, User

ASSIGNMENT_FIELDS = ("establishment", "unit", "role", "start_date", "end_date")
NOT_ASSIGNER = gettext_lazy("Seuls la direction et l'administration affectent des professionnels.")
STALE_ASSIGNMENT = gettext_lazy(
    "Cette affectation a été modifiée par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page."
)
STALE_EXEMPTION = gettext_lazy(
    "Cette exemption a été modifiée par quelqu'un d'autre pendant votre saisie : rechargez la page."
)


@transaction.atomic
def user_end_sessions(*, acting_user, user: User) -> None:
    """Logout everywhere: every session opened before now is closed at its next request."""
    if acting_user.pk != user.pk and not acting_user.is_superuser:
        raise AccessDenied(
            _("Seul un administrateur peut fermer les sessions d'un autre professionnel.")
        )
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    journal.record(
        user=acting_user,
        action=AccessAction.SESSION,
        object_type="accounts.User",
        object_id=str(user.public_id),
    )


def _require_assigner(acting_user, establishment) -> None:
    """Assignments open access to persons: the direction or the administration of the
    establishment gives them (or a superuser, in the admin)."""
    if not acting_user.is_superuser and establishment.pk not in management_establishment_ids(
        acting_user, roles=("director", "admin")
    ):
        raise AccessDenied(NOT_ASSIGNER)


@transaction.atomic
def assignment_create(
    *, acting_user, user: User, establishment, unit=None, role: str, start_date, end_date=None
) -> Assignment:
    _require_assigner(acting_user, establishment)
    assignment = Assignment(user=user)
    writes.assign(
        assignment,
        {
            "establishment": establishment,
            "unit": unit,
            "role": role,
            "start_date": start_date,
            "end_date": end_date,
        },
        ASSIGNMENT_FIELDS,
    )
    writes.save(assignment, acting_user=acting_user, created=True)
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=assignment)
    return assignment


@transaction.atomic
def assignment_update(*, acting_user, assignment: Assignment, data: dict, expected_version):
    """Change an assignment (its end date, mostly: assignments end, they are never deleted).
    The rights are those of the establishment it is in, before and after the change."""
    _require_assigner(acting_user, assignment.establishment)
    assignment = writes.lock(
        assignment, expected_version=expected_version, stale_message=STALE_ASSIGNMENT
    )
    writes.assign(assignment, data, ASSIGNMENT_FIELDS)
    _require_assigner(acting_user, assignment.establishment)
    writes.save(assignment, acting_user=acting_user)
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=assignment)
    return assignment


# Those who configure access or manage the establishment always use a second factor.
NEVER_EXEMPT_PROFESSIONS = frozenset({"directeur", "administrateur", "chef_service", "cadre_sante"})


@transaction.atomic
def second_factor_exemption_grant(
    *, acting_user, establishment, profession, reason: str
) -> SecondFactorExemption:
    if establishment.pk not in management_establishment_ids(acting_user, roles=("director",)):
        raise AccessDenied(_("Seule la direction de l'établissement peut exempter une profession."))
    if profession.code in NEVER_EXEMPT_PROFESSIONS or profession.pk == acting_user.profession_id:
        raise ValidationError(
            {
                "profession": _(
                    "Cette profession ne peut pas être exemptée du second facteur (direction, "
                    "encadrement, administration, ou votre propre profession)."
                )
            }
        )
    if len((reason or "").strip()) < 15:
        raise ValidationError({"reason": _("Motivez l'exemption (au moins 15 caractères).")})
    exemption = SecondFactorExemption(
        establishment=establishment, profession=profession, reason=reason.strip()
    )
    writes.save(exemption, acting_user=acting_user, created=True)
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=exemption)
    return exemption


@transaction.atomic
def second_factor_exemption_revoke(
    *, acting_user, exemption: SecondFactorExemption, expected_version
) -> None:
    if exemption.establishment_id not in management_establishment_ids(
        acting_user, roles=("director",)
    ):
        raise AccessDenied(_("Seule la direction de l'établissement peut révoquer une exemption."))
    exemption = writes.lock(
        exemption, expected_version=expected_version, stale_message=STALE_EXEMPTION
    )
    if exemption.revoked_at is not None:
        raise ValidationError(_("Cette exemption est déjà révoquée."))
    exemption.revoked_at = dates.now()
    writes.save(exemption, acting_user=acting_user)
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=exemption)
    # The requirement is decided when a session starts: close the sessions of the people
    # concerned so that the second factor applies from their next request, not in 12 hours.
    concerned = User.objects.filter(
        profession_id=exemption.profession_id,
        assignments__in=Assignment.objects.active().filter(
            establishment_id=exemption.establishment_id
        ),
    ).distinct()
    for user in concerned:
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        journal.record(
            user=acting_user,
            action=AccessAction.SESSION,
            object_type="accounts.User",
            object_id=str(user.public_id),
        )
