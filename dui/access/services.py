"""Writes owned by the access layer. One transaction each, journaled in the same transaction."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import journal
from .errors import AccessDenied
from .matrix import MEDICAL_ELIGIBLE, PSYCHOLOGICAL_ELIGIBLE
from .models import (
    AccessAction,
    BreakGlass,
    CareTeamMembership,
    CategoryPermission,
    InformationCategory,
)
from .policy import (
    active_assignments,
    establishment_matrix,
    management_establishment_ids,
    may_break_glass_in,
    organisation_ids,
    person_access,
)

BREAK_GLASS_MIN_REASON = 15


@transaction.atomic
def care_team_join(
    *, acting_user, person, establishment, unit=None, reason: str, valid_from=None, source: str = ""
) -> CareTeamMembership:
    """Open a team's access to a person (called by the pathway services)."""
    if unit is not None and unit.establishment_id != establishment.pk:
        raise ValidationError({"unit": _("Cette unité appartient à un autre établissement.")})
    membership = CareTeamMembership(
        person=person,
        establishment=establishment,
        unit=unit,
        reason=reason,
        valid_from=valid_from or timezone.now(),
        source=source,
    )
    membership.full_clean()
    membership.save()
    journal.record(user=acting_user, action=AccessAction.CREATE, person=person, obj=membership)
    return membership


@transaction.atomic
def care_team_leave(*, acting_user, membership: CareTeamMembership, at=None) -> CareTeamMembership:
    """Close a membership (discharge, transfer): the access window starts from here."""
    membership.valid_to = at or timezone.now()
    membership.full_clean()
    membership.save(update_fields=["valid_to"])
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=membership.person, obj=membership
    )
    return membership


@transaction.atomic
def break_glass_open(
    *, acting_user, person, reason: str, ip_address: str | None = None
) -> BreakGlass:
    reason = (reason or "").strip()
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise ValidationError(
            {
                "reason": _(
                    "Indiquez le motif de l'accès exceptionnel (au moins %(n)s caractères)."
                )
                % {"n": BREAK_GLASS_MIN_REASON}
            }
        )
    access = person_access(user=acting_user, person=person)
    if access.assignments:
        raise AccessDenied(
            _("Vous avez déjà accès à ce dossier : l'accès exceptionnel est inutile.")
        )
    assignments = active_assignments(acting_user)
    if not assignments:
        raise AccessDenied(
            _("Sans affectation active, vous ne pouvez pas ouvrir d'accès exceptionnel.")
        )
    # Only persons the organisation follows now, or left within the access window.
    person_membership = (
        CareTeamMembership.objects.filter(person=person)
        .filter(
            Q(valid_to__isnull=True)
            | Q(valid_to__gte=timezone.now() - settings.ACCESS_WINDOW_AFTER_END)
        )
        .select_related("establishment")
        .order_by("-valid_from")
        .first()
    )
    person_establishment = person_membership.establishment if person_membership else None
    if person_establishment is None or person_establishment.organisation_id not in organisation_ids(
        acting_user
    ):
        raise AccessDenied(_("Cette personne n'est pas suivie par votre organisme."))
    now = timezone.now()
    # Act under an assignment of the person's organisation: its rights and its review apply.
    acting = next(
        a
        for a in assignments
        if a.establishment.organisation_id == person_establishment.organisation_id
    )
    if not may_break_glass_in(acting_user, acting.establishment_id):
        raise AccessDenied(
            _(
                "L'accès exceptionnel est réservé aux professions qui lisent les soins ou le "
                "dossier médical ; la vôtre n'en lit aucun (le DPO consulte le journal des "
                "accès, pas le dossier)."
            ),
            person=person,
        )
    grant = BreakGlass.objects.create(
        user=acting_user,
        assignment=acting,
        person=person,
        user_establishment_id=acting.establishment_id,
        person_establishment=person_establishment,
        reason=reason,
        opened_at=now,
        expires_at=now + settings.BREAK_GLASS_DURATION,
    )
    journal.record(
        user=acting_user,
        action=AccessAction.BREAK_GLASS,
        person=person,
        obj=grant,
        assignment=acting,
        ip_address=ip_address,
        break_glass=True,
    )
    return grant


def can_review_break_glass(user, grant: BreakGlass) -> bool:
    managed = management_establishment_ids(user)
    return grant.person_establishment_id in managed or grant.user_establishment_id in managed


@transaction.atomic
def break_glass_review(*, acting_user, grant: BreakGlass, note: str = "") -> BreakGlass:
    if not can_review_break_glass(acting_user, grant):
        raise AccessDenied(
            _("Seuls la direction et le DPO des établissements concernés font la revue.")
        )
    if grant.user_id == acting_user.pk:
        raise AccessDenied(_("On ne revoit pas son propre accès exceptionnel."))
    # A grant is reviewed once: its row, locked, says whether someone else just did (a grant
    # carries no version: the review is its only change, and this check is its guard).
    grant = BreakGlass.objects.select_for_update().get(pk=grant.pk)
    if grant.reviewed_at:
        raise ValidationError(_("Cet accès exceptionnel a déjà été revu."))
    grant.reviewed_at = timezone.now()
    grant.reviewed_by = acting_user
    grant.review_note = note.strip()
    grant.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    journal.record(user=acting_user, action=AccessAction.REVIEW, person=grant.person, obj=grant)
    return grant


def _require_director(acting_user, establishment) -> None:
    if establishment.pk not in management_establishment_ids(acting_user, roles=("director",)):
        raise AccessDenied(
            _("Seul(e) le directeur ou la directrice de l'établissement modifie ces droits.")
        )


def _grant_error(profession, category: str, can_read: bool, can_write: bool) -> str | None:
    """Why this (profession, category) right may not be granted, or None."""
    if category not in InformationCategory.values:
        return _("Catégorie d'information inconnue.")
    if can_write and not can_read:
        return _("Le droit d'écriture suppose le droit de lecture.")
    if (
        category == InformationCategory.PSYCHOLOGICAL
        and can_read
        and profession.code not in PSYCHOLOGICAL_ELIGIBLE
    ):
        return _(
            "Les données psychologiques sont réservées au psychologue et aux médecins : « %(p)s » ne peut y accéder."
        ) % {"p": profession.label}
    if (
        category == InformationCategory.MEDICAL
        and can_read
        and profession.code not in MEDICAL_ELIGIBLE
    ):
        return _(
            "Les données médicales sont réservées à l'équipe de soins : « %(p)s » ne peut y accéder."
        ) % {"p": profession.label}
    return None


def _permission_write(*, acting_user, establishment, profession, category, can_read, can_write):
    row, _created = CategoryPermission.objects.update_or_create(
        establishment=establishment,
        profession=profession,
        category=category,
        defaults={"can_read": can_read, "can_write": can_write, "updated_by": acting_user},
    )
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=row)
    return row


@transaction.atomic
def category_permission_set(
    *, acting_user, establishment, profession, category: str, can_read: bool, can_write: bool
) -> CategoryPermission:
    """A director adjusts one right of the matrix for their establishment."""
    _require_director(acting_user, establishment)
    error = _grant_error(profession, category, can_read, can_write)
    if error:
        raise ValidationError(error)
    return _permission_write(
        acting_user=acting_user,
        establishment=establishment,
        profession=profession,
        category=category,
        can_read=can_read,
        can_write=can_write,
    )


@transaction.atomic
def category_matrix_set(*, acting_user, establishment, professions, wanted) -> int:
    """Save a whole edited matrix at once: every change, or none if one is not allowed.

    `wanted` maps (profession code, category) to (can_read, can_write). Returns the number of
    rights changed. A ValidationError names each refused cell as "<code>__<category>".
    """
    _require_director(acting_user, establishment)
    current = establishment_matrix(establishment_id=establishment.pk, professions=professions)
    by_code = {p.code: p for p in professions}
    changes, errors = [], {}
    for (code, category), rights in wanted.items():
        if code not in by_code or rights == current[code].get(category):
            continue
        error = _grant_error(by_code[code], category, *rights)
        if error:
            errors[f"{code}__{category}"] = error
        changes.append((by_code[code], category, rights))
    if errors:
        raise ValidationError(errors)
    for profession, category, (can_read, can_write) in changes:
        _permission_write(
            acting_user=acting_user,
            establishment=establishment,
            profession=profession,
            category=category,
            can_read=can_read,
            can_write=can_write,
        )
    return len(changes)


@transaction.atomic
def care_team_reassign(*, acting_user, from_person, to_person) -> list[CareTeamMembership]:
    """On a merge of two records: the teams that followed the merged record follow the kept one,
    over the same dates. The merged record keeps its own memberships, so that it stays readable
    (with its history) by the same teams."""
    copies = [
        CareTeamMembership(
            person=to_person,
            establishment_id=m.establishment_id,
            unit_id=m.unit_id,
            reason=m.reason,
            valid_from=m.valid_from,
            valid_to=m.valid_to,
            source=f"merge:{from_person.public_id}",
        )
        for m in CareTeamMembership.objects.filter(person=from_person)
    ]
    CareTeamMembership.objects.bulk_create(copies)
    for membership in copies:
        journal.record(
            user=acting_user, action=AccessAction.CREATE, person=to_person, obj=membership
        )
    return copies
