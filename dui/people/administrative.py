"""The person's administrative data: address before admission, social security, complementary
insurance, GP (category ADMINISTRATIVE) and social aids (category SOCIAL).

Writes are services (`<entity>_<verb>(*, acting_user, ...)`): one transaction, write right
checked, `full_clean()`, optimistic version check, journal entry in the same transaction.
Reads for the "Administratif" tab are the selectors at the end.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access import journal
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import organisation_ids, person_access

from . import nir
from .models import AdministrativeFile, Person, SocialAid

ADMINISTRATIVE_FILE_FIELDS = (
    "previous_address",
    "previous_postcode",
    "previous_city",
    "insured_number",
    "scheme",
    "insurance_fund",
    "insurance_fund_code",
    "long_term_condition",
    "exemption_detail",
    "complementary_name",
    "complementary_number",
    "complementary_solidarity",
    "general_practitioner",
)

SOCIAL_AID_FIELDS = (
    "kind",
    "payer",
    "decision_on",
    "starts_on",
    "ends_on",
    "monthly_amount",
    "reference",
    "notes",
)

# Which form field a named constraint is about, so that its message shows next to the field.
CONSTRAINT_FIELDS = {
    "administrative_postcode_5_digits": "previous_postcode",
    "social_aid_end_after_start": "ends_on",
    "social_aid_amount_not_negative": "monthly_amount",
}

MIN_ERROR_REASON = 5


def constraint_message(model, name: str) -> str:
    """The French `violation_error_message` of the model's constraint called `name`."""
    for constraint in model._meta.constraints:
        if constraint.name == name:
            return str(constraint.violation_error_message)
    raise LookupError(f"{model._meta.label} has no constraint named {name!r}")


def _full_clean(instance) -> None:
    """`full_clean()`, with the messages of the named constraints moved next to their field."""
    try:
        instance.full_clean()
    except ValidationError as error:
        errors = dict(error.message_dict)
        general = errors.pop(NON_FIELD_ERRORS, [])
        by_message = {
            constraint_message(type(instance), name): field
            for name, field in CONSTRAINT_FIELDS.items()
            if any(c.name == name for c in type(instance)._meta.constraints)
        }
        remaining = []
        for message in general:
            field = by_message.get(message)
            if field:
                errors.setdefault(field, []).append(message)
            else:
                remaining.append(message)
        if remaining:
            errors[NON_FIELD_ERRORS] = remaining
        raise ValidationError(errors) from None


def _stale_file() -> ValidationError:
    return ValidationError(
        _(
            "Ce dossier administratif a été modifié par quelqu'un d'autre pendant votre saisie : "
            "rechargez la page pour voir la version actuelle."
        ),
        code="stale_version",
    )


def _stale_aid() -> ValidationError:
    return ValidationError(
        _(
            "Cette aide sociale a été modifiée par quelqu'un d'autre pendant votre saisie : "
            "rechargez la page pour voir la version actuelle."
        ),
        code="stale_version",
    )


def _require_write(acting_user, person, category: str, message: str):
    access = person_access(user=acting_user, person=person)
    if not access.can_write(category):
        raise PermissionDenied(message)
    return access


def gp_organisation_ids(*, user, access=None) -> set[int]:
    """Organisations whose GP directory the user may pick from for this person: those of the
    assignments through which the user follows the person (else all the user's own)."""
    if access is not None and access.assignments:
        return {a.establishment.organisation_id for a in access.assignments}
    return organisation_ids(user)


def general_practitioner_choices(*, user, access=None, current=None) -> QuerySet:
    """Active GPs of the user's organisation(s); the current GP stays selectable."""
    from dui.coordination.models import PartnerKind
    from dui.coordination.selectors import partners_of

    partners = partners_of(
        organisation_ids=gp_organisation_ids(user=user, access=access),
        kind=PartnerKind.GENERAL_PRACTITIONER,
        active_only=True,
    )
    if current is not None:
        partners = partners | type(current).objects.filter(pk=current.pk)
    return partners.order_by("name", "pk")


def _check_general_practitioner(partner, *, user, access, previous_id) -> None:
    from dui.coordination.models import PartnerKind

    if partner is None or partner.pk == previous_id:
        return
    allowed_orgs = gp_organisation_ids(user=user, access=access)
    if (
        partner.kind != PartnerKind.GENERAL_PRACTITIONER
        or partner.organisation_id not in allowed_orgs
        or not partner.is_active
    ):
        raise ValidationError(
            {
                "general_practitioner": _(
                    "Choisissez le médecin traitant parmi les médecins généralistes actifs de "
                    "l'annuaire des partenaires de votre organisme."
                )
            }
        )


@transaction.atomic
def administrative_file_save(
    *, acting_user, person: Person, data: dict, expected_version: int | None
) -> AdministrativeFile:
    """Create the person's administrative file on its first save, update it afterwards.

    `expected_version`: the version the form was read at; None when the form was opened on a
    person without a file. A file created or changed by someone else meanwhile ends in a
    conflict (nothing saved), never in an overwrite."""
    unknown = set(data) - set(ADMINISTRATIVE_FILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown administrative file fields: {sorted(unknown)}")
    access = _require_write(
        acting_user,
        person,
        InformationCategory.ADMINISTRATIVE,
        _("Votre profession ne peut pas modifier les données administratives de cette personne."),
    )
    file = AdministrativeFile.objects.select_for_update().filter(person=person).first()
    created = file is None
    if created:
        file = AdministrativeFile(person=person, created_by=acting_user)
    elif expected_version is None or file.version != expected_version:
        raise _stale_file()
    previous_gp_id = file.general_practitioner_id
    for field, value in data.items():
        setattr(file, field, value)
    if file.insured_number:
        compact = nir.compact(file.insured_number)
        if len(compact) <= 15:
            file.insured_number = compact
    _check_general_practitioner(
        file.general_practitioner, user=acting_user, access=access, previous_id=previous_gp_id
    )
    _full_clean(file)
    file.updated_by = acting_user
    if created:
        try:
            # Two first saves at once: the second finds the person already has a file.
            with transaction.atomic():
                file.save()
        except IntegrityError:
            raise _stale_file() from None
    else:
        file.version += 1
        file.save()
    journal.record(
        user=acting_user,
        action=AccessAction.CREATE if created else AccessAction.UPDATE,
        person=person,
        obj=file,
    )
    return file


def _social_write(acting_user, person):
    return _require_write(
        acting_user,
        person,
        InformationCategory.SOCIAL,
        _("Votre profession ne peut pas modifier les aides sociales de cette personne."),
    )


@transaction.atomic
def social_aid_create(
    *,
    acting_user,
    person: Person,
    kind: str,
    decision_on: date,
    payer: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    monthly_amount: Decimal | None = None,
    reference: str = "",
    notes: str = "",
) -> SocialAid:
    _social_write(acting_user, person)
    aid = SocialAid(
        person=person,
        kind=kind,
        decision_on=decision_on,
        payer=payer,
        starts_on=starts_on,
        ends_on=ends_on,
        monthly_amount=monthly_amount,
        reference=reference,
        notes=notes,
        created_by=acting_user,
        updated_by=acting_user,
    )
    _full_clean(aid)
    aid.save()
    journal.record(user=acting_user, action=AccessAction.CREATE, person=person, obj=aid)
    return aid


@transaction.atomic
def social_aid_update(
    *, acting_user, aid: SocialAid, expected_version: int | None, **fields
) -> SocialAid:
    """Change a social aid (e.g. record its end, a new amount). Fields not given stay."""
    unknown = set(fields) - set(SOCIAL_AID_FIELDS)
    if unknown:
        raise TypeError(f"Unknown social aid fields: {sorted(unknown)}")
    _social_write(acting_user, aid.person)
    aid = SocialAid.objects.select_for_update().get(pk=aid.pk)
    if expected_version is None or aid.version != expected_version:
        raise _stale_aid()
    if aid.entered_in_error:
        raise ValidationError(
            _("Cette aide a été annulée (saisie par erreur) : elle ne peut plus être modifiée.")
        )
    for field, value in fields.items():
        setattr(aid, field, value)
    _full_clean(aid)
    aid.updated_by = acting_user
    aid.version += 1
    aid.save()
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=aid.person, obj=aid)
    return aid


@transaction.atomic
def social_aid_mark_entered_in_error(
    *, acting_user, aid: SocialAid, reason: str, expected_version: int | None = None
) -> SocialAid:
    """Cancel an aid recorded by mistake: it stays visible, struck out, with the reason."""
    _social_write(acting_user, aid.person)
    reason = (reason or "").strip()
    if len(reason) < MIN_ERROR_REASON:
        raise ValidationError(
            {"reason": _("Indiquez pourquoi cette aide a été saisie par erreur.")}
        )
    aid = SocialAid.objects.select_for_update().get(pk=aid.pk)
    if expected_version is not None and aid.version != expected_version:
        raise _stale_aid()
    if aid.entered_in_error:
        raise ValidationError(_("Cette aide est déjà marquée comme saisie par erreur."))
    aid.entered_in_error = True
    aid.entered_in_error_reason = reason
    _full_clean(aid)
    aid.updated_by = acting_user
    aid.version += 1
    aid._change_reason = _("Saisie par erreur : %(reason)s") % {"reason": reason}
    aid.save()
    journal.record(user=acting_user, action=AccessAction.AMEND, person=aid.person, obj=aid)
    return aid


# --- Reads ------------------------------------------------------------------------------------


def administrative_file_of(*, person: Person) -> AdministrativeFile | None:
    """The person's file with its GP and last author (one query)."""
    return (
        AdministrativeFile.objects.filter(person=person)
        .select_related("general_practitioner", "updated_by")
        .first()
    )


class AidState:
    CURRENT = 0
    UPCOMING = 1
    ENDED = 2
    IN_ERROR = 3


@dataclass(frozen=True)
class AidStateLabel:
    label: str
    level: str


AID_STATE_LABELS = {
    AidState.CURRENT: AidStateLabel("en cours", "ok"),
    AidState.UPCOMING: AidStateLabel("à venir", "neutral"),
    AidState.ENDED: AidStateLabel("terminée", "neutral"),
    AidState.IN_ERROR: AidStateLabel("saisie par erreur", "danger"),
}


def social_aids_of(*, person: Person, today: date | None = None) -> list[SocialAid]:
    """The person's social aids, current ones first, then upcoming, ended, and those entered in
    error last; each carries `state` and `state_label` (one query)."""
    today = today or timezone.localdate()
    aids = (
        SocialAid.objects.filter(person=person)
        .annotate(
            state=Case(
                When(entered_in_error=True, then=Value(AidState.IN_ERROR)),
                When(ends_on__lt=today, then=Value(AidState.ENDED)),
                When(starts_on__gt=today, then=Value(AidState.UPCOMING)),
                default=Value(AidState.CURRENT),
                output_field=IntegerField(),
            )
        )
        .order_by("state", "-decision_on", "-pk")
    )
    result = list(aids)
    for aid in result:
        aid.state_label = AID_STATE_LABELS[aid.state]
    return result
