"""Writes on partners (professionals and services outside the establishment)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import active_assignments, category_rights_for

from .models import Partner, PartnerKind

NOT_ADDED = _("Votre profession ne peut pas ajouter de partenaire pour cet organisme.")
NOT_CHANGED = _("Votre profession ne peut pas modifier les partenaires de cet organisme.")
STALE_PARTNER = _(
    "Ce partenaire a été modifié par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page pour voir la version actuelle."
)
PARTNER_FIELDS = ("kind", "name", "rpps", "phone", "email", "address")


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
        raise AccessDenied(NOT_ADDED)
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
    partner = Partner(organisation=organisation)
    writes.assign(
        partner,
        {
            "kind": kind,
            "name": name,
            "rpps": rpps,
            "phone": phone,
            "email": email,
            "address": address,
        },
        PARTNER_FIELDS,
    )
    writes.save(partner, acting_user=acting_user, created=True)
    journal.record(user=acting_user, action=AccessAction.CREATE, obj=partner)
    return partner


PARTNER_EDITABLE_FIELDS = ("kind", "name", "rpps", "phone", "email", "address", "is_active")


@transaction.atomic
def partner_update(*, acting_user, partner: Partner, expected_version, **fields) -> Partner:
    """Change a partner of the directory, or deactivate it (`is_active=False`: it is never
    deleted, persons' records may point to it). `expected_version`: the version the form read;
    a change by someone else meanwhile ends in a conflict, not an overwrite."""
    unknown = set(fields) - set(PARTNER_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown partner fields: {sorted(unknown)}")
    if not may_manage_partners(acting_user, partner.organisation):
        raise AccessDenied(NOT_CHANGED)
    partner = writes.lock(
        partner,
        expected_version=expected_version,
        stale_message=STALE_PARTNER,
        related=("organisation",),
    )
    writes.assign(partner, fields, PARTNER_EDITABLE_FIELDS)
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
    writes.save(partner, acting_user=acting_user)
    journal.record(user=acting_user, action=AccessAction.UPDATE, obj=partner)
    return partner
