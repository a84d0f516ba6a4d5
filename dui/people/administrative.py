"""The person's administrative data: address before admission, social security, complementary
insurance, GP (category ADMINISTRATIVE) and social aids (category SOCIAL).

Writes are services (`<entity>_<verb>(*, acting_user, ...)`): one transaction, write right
checked, `full_clean()`, optimistic version check, journal entry in the same transaction.
Reads for the "Administratif" tab are the selectors at the end.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import organisation_ids
from dui.coordination.models import PartnerKind
from dui.coordination.selectors import partners_of
from dui.core import dates

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


STALE_FILE = _(
    "Ce dossier administratif a été modifié par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page pour voir la version actuelle."
)
STALE_AID = _(
    "Cette aide sociale a été modifiée par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page pour voir la version actuelle."
)
FILE_NOT_WRITTEN = _(
    "Votre profession ne peut pas modifier les données administratives de cette personne."
)
AIDS_NOT_WRITTEN = _("Votre profession ne peut pas modifier les aides sociales de cette personne.")


def gp_organisation_ids(*, user, access=None) -> set[int]:
    """Organisations whose GP directory the user may pick from for this person: those of the
    assignments through which the user follows the person (else all the user's own)."""
    if access is not None and access.assignments:
        return {a.establishment.organisation_id for a in access.assignments}
    return organisation_ids(user)


def general_practitioner_choices(*, user, access=None, current=None) -> QuerySet:
    """Active GPs of the user's organisation(s); the current GP stays selectable."""
    partners = partners_of(
        organisation_ids=gp_organisation_ids(user=user, access=access),
        kind=PartnerKind.GENERAL_PRACTITIONER,
        active_only=True,
    )
    if current is not None:
        partners = partners | type(current).objects.filter(pk=current.pk)
    return partners.order_by("name", "pk")


def _check_general_practitioner(partner, *, user, access, previous_id) -> None:
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
    *, acting_user, person: Person, data: dict, expected_version
) -> AdministrativeFile:
    """Create the person's administrative file on its first save, update it afterwards.

    `expected_version`: the version the form was read at; None when the form was opened on a
    person without a file. A file created or changed by someone else meanwhile ends in a
    conflict (nothing saved), never in an overwrite."""
    unknown = set(data) - set(ADMINISTRATIVE_FILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown administrative file fields: {sorted(unknown)}")
    access = writes.require_write(
        acting_user, person, InformationCategory.ADMINISTRATIVE, FILE_NOT_WRITTEN
    )
    file = AdministrativeFile.objects.filter(person=person).first()
    created = file is None
    if created:
        if expected_version not in (None, ""):
            # The form was read on a file that is no longer there: nothing to compare with.
            raise ValidationError(STALE_FILE, code="stale_version")
        file = AdministrativeFile(person=person)
    elif expected_version in (None, ""):
        # The form was read when there was no file: someone created it since.
        raise ValidationError(STALE_FILE, code="stale_version")
    else:
        file = writes.lock(file, expected_version=expected_version, stale_message=STALE_FILE)
    previous_gp_id = file.general_practitioner_id
    writes.assign(file, data, ADMINISTRATIVE_FILE_FIELDS)
    if file.insured_number:
        compact = nir.compact(file.insured_number)
        if len(compact) <= 15:
            file.insured_number = compact
    _check_general_practitioner(
        file.general_practitioner, user=acting_user, access=access, previous_id=previous_gp_id
    )
    _full_clean(file)
    try:
        writes.save(file, acting_user=acting_user, created=created)
    except IntegrityError:
        # Two first saves at once: the second finds the person already has a file.
        raise ValidationError(STALE_FILE, code="stale_version") from None
    journal.record(
        user=acting_user,
        action=AccessAction.CREATE if created else AccessAction.UPDATE,
        person=person,
        obj=file,
    )
    return file


def _social_write(acting_user, person):
    return writes.require_write(acting_user, person, InformationCategory.SOCIAL, AIDS_NOT_WRITTEN)


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
    aid = SocialAid(person=person)
    writes.assign(
        aid,
        {
            "kind": kind,
            "decision_on": decision_on,
            "payer": payer,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "monthly_amount": monthly_amount,
            "reference": reference,
            "notes": notes,
        },
        SOCIAL_AID_FIELDS,
    )
    _full_clean(aid)
    return writes.create(aid, acting_user=acting_user, person=person)


def _locked_aid(acting_user, aid: SocialAid, expected_version) -> SocialAid:
    _social_write(acting_user, aid.person)
    return writes.lock(aid, expected_version=expected_version, stale_message=STALE_AID)


@transaction.atomic
def social_aid_update(*, acting_user, aid: SocialAid, expected_version, **fields) -> SocialAid:
    """Change a social aid (e.g. record its end, a new amount). Fields not given stay."""
    unknown = set(fields) - set(SOCIAL_AID_FIELDS)
    if unknown:
        raise TypeError(f"Unknown social aid fields: {sorted(unknown)}")
    aid = _locked_aid(acting_user, aid, expected_version)
    if aid.entered_in_error:
        raise ValidationError(
            _("Cette aide a été annulée (saisie par erreur) : elle ne peut plus être modifiée.")
        )
    writes.assign(aid, fields, SOCIAL_AID_FIELDS)
    _full_clean(aid)
    writes.save(aid, acting_user=acting_user)
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=aid.person, obj=aid)
    return aid


@transaction.atomic
def social_aid_mark_entered_in_error(
    *, acting_user, aid: SocialAid, reason: str, expected_version
) -> SocialAid:
    """Cancel an aid recorded by mistake: it stays visible, struck out, with the reason."""
    aid = _locked_aid(acting_user, aid, expected_version)
    reason = (reason or "").strip()
    if len(reason) < MIN_ERROR_REASON:
        raise ValidationError(
            {"reason": _("Indiquez pourquoi cette aide a été saisie par erreur.")}
        )
    if aid.entered_in_error:
        raise ValidationError(_("Cette aide est déjà marquée comme saisie par erreur."))
    aid.entered_in_error = True
    aid.entered_in_error_reason = reason
    _full_clean(aid)
    writes.save(
        aid,
        acting_user=acting_user,
        reason=_("Saisie par erreur : %(reason)s") % {"reason": reason},
    )
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
    today = today or dates.today()
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
