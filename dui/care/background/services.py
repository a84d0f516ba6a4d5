"""Writes of the background (issue 13, item 1). One transaction per use case; each checks the
write right of the entry's category, validates (`full_clean`, named constraints) and journals
in the same transaction (dui.access.writes). Corrections: a new entry, an end date, or
*entered in error* with a reason — never a delete (DESIGN §4.4)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.models import AccessAction, InformationCategory
from dui.care.models import Allergy
from dui.core import dates
from dui.people.services import move_rows_on_merge

from .models import (
    AdvanceDirective,
    AllergyStatement,
    DietPlan,
    MedicalHistory,
    PersonDevice,
    Vaccination,
)

CARE = InformationCategory.CARE
MEDICAL = InformationCategory.MEDICAL

# The information category of each entry: antécédents and vaccinations are medical; what the
# night team needs (devices, diet, directives, « aucune allergie connue ») is care (issue 13).
CATEGORY = {
    MedicalHistory: MEDICAL,
    Vaccination: MEDICAL,
    PersonDevice: CARE,
    DietPlan: CARE,
    AdvanceDirective: CARE,
    AllergyStatement: CARE,
}
NOT_WRITTEN = {
    MEDICAL: _(
        "Votre profession ne peut pas modifier le dossier médical de cette personne, "
        "ou l'accompagnement de cette personne est terminé."
    ),
    CARE: _(
        "Votre profession ne peut pas modifier les soins de cette personne, "
        "ou l'accompagnement de cette personne est terminé."
    ),
}
STALE = _(
    "Cette saisie a été modifiée par quelqu'un d'autre pendant votre saisie : rechargez la page."
)

HISTORY_FIELDS = (
    "kind",
    "label",
    "cim10_code",
    "relative",
    "onset_on",
    "onset_year",
    "onset_text",
    "ended_on",
    "is_active",
    "note",
)
VACCINATION_FIELDS = (
    "vaccine_label",
    "cis_code",
    "administered_on",
    "dose_number",
    "lot_number",
    "administered_by",
)
DEVICE_FIELDS = ("kind", "detail", "marked_with_name", "since")
DIET_FIELDS = ("since", "food_level", "drink_level", "diets", "meal_help", "note")
DIRECTIVE_FIELDS = ("existence", "written_on", "kept_where", "document", "checked_on")


def _create(model, *, acting_user, person, data: dict, fields, **values):
    category = CATEGORY[model]
    writes.require_write(acting_user, person, category, NOT_WRITTEN[category])
    entry = model(person=person, **values)
    writes.assign(entry, data, fields)
    return writes.create(entry, acting_user=acting_user, person=person)


@transaction.atomic
def medical_history_create(*, acting_user, person, data: dict) -> MedicalHistory:
    """An antécédent (medical, surgical, family) or a current problem."""
    return _create(
        MedicalHistory, acting_user=acting_user, person=person, data=data, fields=HISTORY_FIELDS
    )


@transaction.atomic
def medical_history_end(
    *, acting_user, entry: MedicalHistory, ended_on, expected_version
) -> MedicalHistory:
    """A problem resolved or an antécédent no longer active: it stays listed, inactive."""
    writes.require_write(acting_user, entry.person, MEDICAL, NOT_WRITTEN[MEDICAL])
    entry = writes.lock(entry, expected_version=expected_version, stale_message=STALE)
    if not entry.is_active:
        raise ValidationError(_("Cet antécédent est déjà inactif."))
    entry.ended_on = ended_on
    entry.is_active = False
    writes.save(entry, acting_user=acting_user, reason=_("Terminé / guéri"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=entry.person, obj=entry)
    return entry


@transaction.atomic
def vaccination_create(*, acting_user, person, data: dict) -> Vaccination:
    return _create(
        Vaccination, acting_user=acting_user, person=person, data=data, fields=VACCINATION_FIELDS
    )


@transaction.atomic
def device_create(*, acting_user, person, data: dict) -> PersonDevice:
    """A device the person uses (dentures, glasses, hearing aid…)."""
    return _create(
        PersonDevice, acting_user=acting_user, person=person, data=data, fields=DEVICE_FIELDS
    )


@transaction.atomic
def device_remove(*, acting_user, device: PersonDevice, removed_on, expected_version):
    """The person no longer uses the device (it stays in the history, with the date)."""
    writes.require_write(acting_user, device.person, CARE, NOT_WRITTEN[CARE])
    device = writes.lock(device, expected_version=expected_version, stale_message=STALE)
    if device.removed_on:
        raise ValidationError(_("Cet appareil est déjà retiré."))
    if not removed_on:
        raise ValidationError({"removed_on": _("Indiquez la date du retrait.")})
    device.removed_on = removed_on
    writes.save(device, acting_user=acting_user, reason=_("Retiré"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=device.person, obj=device)
    return device


@transaction.atomic
def diet_plan_record(*, acting_user, person, data: dict) -> DietPlan:
    """A new diet and texture from a date; the former one stays in the history."""
    return _create(DietPlan, acting_user=acting_user, person=person, data=data, fields=DIET_FIELDS)


@transaction.atomic
def advance_directive_record(*, acting_user, person, data: dict) -> AdvanceDirective:
    """What was found about the person's directives anticipées (CSP L1111-11), checked by the
    acting user on `checked_on` (today by default). An uploaded copy must be this person's."""
    document = data.get("document")
    if document is not None and document.person_id != person.pk:
        raise ValidationError({"document": _("Ce document n'est pas celui de cette personne.")})
    data = {**data, "checked_on": data.get("checked_on") or dates.today()}
    return _create(
        AdvanceDirective,
        acting_user=acting_user,
        person=person,
        data=data,
        fields=DIRECTIVE_FIELDS,
        checked_by=acting_user,
    )


NO_STATEMENT_WITH_ALLERGY = _(
    "Une allergie est enregistrée pour cette personne : « aucune allergie connue » ne peut "
    "pas être déclaré. Marquez d'abord l'allergie comme saisie par erreur si elle est fausse."
)


@transaction.atomic
def allergy_statement_record(*, acting_user, person, checked_on=None) -> AllergyStatement:
    """« Aucune allergie connue », checked by the acting user (FR Core AllergyIntolerance code
    `no-known-allergies`). Refused while an allergy or intolerance is recorded; a statement
    already current is replaced by this newer check."""
    writes.require_write(acting_user, person, CARE, NOT_WRITTEN[CARE])
    _lock_person(person)
    if Allergy.objects.filter(person=person, entered_in_error=False).exists():
        raise ValidationError(NO_STATEMENT_WITH_ALLERGY, code="allergy_recorded")
    for former in AllergyStatement.objects.select_for_update().filter(
        person=person, ended_at__isnull=True, entered_in_error=False
    ):
        _end(former, acting_user=acting_user, reason=_("Nouvelle vérification"))
    statement = AllergyStatement(
        person=person, checked_by=acting_user, checked_on=checked_on or dates.today()
    )
    return writes.create(statement, acting_user=acting_user, person=person)


def _lock_person(person) -> None:
    # The person's row is the lock both ways: a statement and an allergy recorded at the same
    # moment are serialised, so a statement never survives beside an allergy.
    type(person).objects.select_for_update().only("pk").get(pk=person.pk)


def _end(statement, *, acting_user, reason: str) -> None:
    statement.ended_at = timezone.now()
    writes.save(statement, acting_user=acting_user, reason=reason)
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=statement.person, obj=statement
    )


def allergy_statement_end_for_allergy(*, acting_user, person) -> None:
    """An allergy was just recorded: « aucune allergie connue » ends, in the caller's
    transaction (called by `care.services.allergy_create`)."""
    _lock_person(person)
    for statement in AllergyStatement.objects.select_for_update().filter(
        person=person, ended_at__isnull=True, entered_in_error=False
    ):
        _end(statement, acting_user=acting_user, reason=_("Allergie enregistrée"))


def allergy_statements_merge(*, kept, merged, acting_user) -> None:
    """Person merge (inside its transaction): the statements follow the kept record. Of two
    current « aucune allergie connue », the latest check stands and the other ends; and none
    stays current beside an allergy recorded on either record."""
    persons = (kept, merged)
    current = list(
        AllergyStatement.objects.select_for_update()
        .filter(person__in=persons, ended_at__isnull=True, entered_in_error=False)
        .order_by("-checked_on", "-created_at")
    )
    if Allergy.objects.filter(person__in=persons, entered_in_error=False).exists():
        ending, reason = current, _("Fusion des dossiers : une allergie est enregistrée")
    else:
        ending, reason = current[1:], _("Fusion des dossiers : vérification plus récente")
    for statement in ending:
        _end(statement, acting_user=acting_user, reason=reason)
    move_rows_on_merge(AllergyStatement, kept=kept, merged=merged, acting_user=acting_user)


@transaction.atomic
def background_mark_entered_in_error(*, acting_user, entry, reason: str, expected_version):
    """Any background entry that should never have been recorded: kept, struck through,
    with the reason."""
    category = CATEGORY[type(entry)]
    writes.require_write(acting_user, entry.person, category, NOT_WRITTEN[category])
    entry = writes.lock(entry, expected_version=expected_version, stale_message=STALE)
    reason = writes.required_reason(reason, _("Indiquez pourquoi cette saisie est une erreur."))
    if entry.entered_in_error:
        raise ValidationError(_("Cette saisie est déjà marquée comme saisie par erreur."))
    entry.entered_in_error = True
    entry.entered_in_error_reason = reason
    writes.save(
        entry,
        acting_user=acting_user,
        reason=_("Saisie par erreur : %(reason)s") % {"reason": reason},
    )
    journal.record(user=acting_user, action=AccessAction.AMEND, person=entry.person, obj=entry)
    return entry
