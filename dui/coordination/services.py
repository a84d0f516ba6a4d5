"""Writes on partners (professionals and services outside the establishment)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import active_assignments, category_rights_for

from .models import Partner, PartnerKind


def may_manage_partners(user, organisation) -> bool:
    """The organisation's directory of partners is administrative data: a user whose
    profession writes the administrative record in one of its establishments keeps it."""
    establishment_ids = {
        a.establishment_id
        for a in active_assignments(user)
        if a.establishment.organisation_id == organisation.pk
    }
    if not establishment_ids:
        return False
    rights = category_rights_for(
        establishment_ids=establishment_ids, profession=getattr(user, "profession", None)
    )
    return any(
        by_category[InformationCategory.ADMINISTRATIVE][1] for by_category in rights.values()
    )


@transaction.atomic
def partner_create(
    *,
    acting_user,
    organisation,
    kind: str,
    name: str,
    rpps: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
) -> Partner:
    """Add a partner to the organisation's directory (e.g. a mandataire judiciaire chosen as
    the representative of a protection measure). Refuses an active partner of the same kind
    and name: the user picks the existing one instead of creating a twin."""
    if not may_manage_partners(acting_user, organisation):
        raise PermissionDenied(
            _("Votre profession ne peut pas ajouter de partenaire pour cet organisme.")
        )
    name = (name or "").strip()
    if kind not in PartnerKind.values:
        raise ValidationError({"kind": _("Choisissez le type de partenaire.")})
    if (
        name
        and Partner.objects.filter(
            organisation=organisation, kind=kind, name__iexact=name, is_active=True
        ).exists()
    ):
        raise ValidationError(
            {"name": _("Ce partenaire existe déjà dans l'annuaire : choisissez-le dans la liste.")}
        )
    partner = Partner(
        organisation=organisation,
        kind=kind,
        name=name,
        rpps=(rpps or "").strip(),
        phone=(phone or "").strip(),
        email=(email or "").strip(),
        address=(address or "").strip(),
        created_by=acting_user,
        updated_by=acting_user,
    )
    partner.full_clean()
    partner.save()
    journal.record(user=acting_user, action=AccessAction.CREATE, obj=partner)
    return partner


PARTNER_EDITABLE_FIELDS = ("kind", "name", "rpps", "phone", "email", "address", "is_active")


@transaction.atomic
def partner_update(*, acting_user, partner: Partner, expected_updated_at=None, **fields) -> Partner:
    """Change a partner of the directory, or deactivate it (`is_active=False`: it is never
    deleted, persons' records may point to it). `expected_updated_at` is when the form read the
    partner: a change by someone else meanwhile ends in a conflict, not an overwrite."""
    unknown = set(fields) - set(PARTNER_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown partner fields: {sorted(unknown)}")
    partner = Partner.objects.select_for_update().select_related("organisation").get(pk=partner.pk)
    if not may_manage_partners(acting_user, partner.organisation):
        raise PermissionDenied(
            _("Votre profession ne peut pas modifier les partenaires de cet organisme.")
        )
    if expected_updated_at is not None and partner.updated_at != expected_updated_at:
        raise ValidationError(
            _(
                "Ce partenaire a été modifié par quelqu'un d'autre pendant votre saisie : "
                "rechargez la page pour voir la version actuelle."
            ),
            code="stale_version",
        )
    for field, value in fields.items():
        setattr(partner, field, value.strip() if isinstance(value, str) else value)
    if partner.kind not in PartnerKind.values:
        raise ValidationError({"kind": _("Choisissez le type de partenaire.")})
    if (
        partner.is_active
        and Partner.objects.filter(
            organisation=partner.organisation,
            kind=partner.kind,
            name__iexact=partner.name,
            is_active=True,
        )
        .exclude(pk=partner.pk)
        .exists()
    ):
        raise ValidationError(
            {"name": _("Un autre partenaire actif de ce type porte déjà ce nom dans l'annuaire.")}
        )
    partner.full_clean()
    partner.updated_by = acting_user
    partner.save()
    journal.record(user=acting_user, action=AccessAction.UPDATE, obj=partner)
    return partner
