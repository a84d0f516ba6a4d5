"""Writes on assessments: save a draft, validate, amend, mark entered in error.

The server always recomputes the result from the answers (the browser's live total is only a
preview). A draft may be incomplete; validation needs every required answer and the profession
the instrument names. A validated assessment is never edited: it is amended by a new one.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction
from dui.access.policy import person_access
from dui.core import dates
from dui.people.plausibility import refuse_before_birth

from .instruments.base import Instrument, Result
from .models import Assessment, AssessmentStatus

NOT_FILLED = gettext_lazy("Votre profession ne peut pas remplir cet instrument.")
NOT_CHANGED = gettext_lazy("Votre profession ne peut pas modifier cet instrument.")
NOT_VALIDATED = gettext_lazy("Votre profession ne peut pas valider cet instrument (%(name)s).")
NO_ESTABLISHMENT = gettext_lazy(
    "Vous n'êtes affecté(e) à aucun établissement qui suit cette personne."
)
STALE = gettext_lazy(
    "Cette évaluation a été modifiée par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page."
)


def _profession(user) -> str:
    profession = getattr(user, "profession", None)
    return profession.code if profession else ""


def may_fill(user, person, instrument: Instrument) -> bool:
    access = person_access(user=user, person=person)
    if not access.can_write(instrument.category):
        return False
    return instrument.fill_professions is None or _profession(user) in instrument.fill_professions


def may_validate(user, person, instrument: Instrument) -> bool:
    access = person_access(user=user, person=person)
    if not access.can_write(instrument.category):
        return False
    allowed = instrument.validate_professions
    return allowed is None or _profession(user) in allowed


def _require_fill(user, person, instrument: Instrument, message: str = NOT_FILLED) -> None:
    """The acting user writes the instrument's category for this person and has a profession
    the instrument names; else a refusal, journaled on the person by the view."""
    if not may_fill(user, person, instrument):
        raise AccessDenied(message, person=person)


def _check_date(person, assessed_on: date, establishment) -> None:
    # "Today" is the establishment's: at 00:30 in Paris an assessment of today is not in the
    # future, although it is still yesterday in UTC.
    if assessed_on > dates.today(establishment):
        raise ValidationError(
            {"assessed_on": _("La date de l'évaluation ne peut être dans le futur.")}
        )
    # Before the person's birth: the one rule of the record (dui.people.plausibility).
    refuse_before_birth(person, assessed_on=assessed_on)


def _apply(assessment: Assessment, result: Result | None) -> None:
    if result is None:
        assessment.score, assessment.result_label = None, ""
        assessment.interpretation, assessment.level, assessment.details = "", "neutral", {}
        return
    assessment.score = result.score
    assessment.result_label = result.label[:80]
    assessment.interpretation = result.interpretation
    assessment.level = result.level
    assessment.details = result.details if result.complete else {}


def _acting_establishment(user, person):
    access = person_access(user=user, person=person)
    assignment = access.acting_assignment
    if assignment is None:
        raise AccessDenied(NO_ESTABLISHMENT, person=person)
    return assignment.establishment


@transaction.atomic
def assessment_save_draft(
    *,
    acting_user,
    person,
    instrument: Instrument,
    assessed_on: date,
    answers: dict,
    assessment: Assessment | None = None,
    expected_version: int | None = None,
) -> Assessment:
    """Create a draft, or update one (`assessment`, read at `expected_version`: required).
    Answers are checked one by one (an answer outside the options is refused); missing ones
    are allowed in a draft."""
    _require_fill(acting_user, person, instrument)
    cleaned = instrument.clean(answers, complete=False)
    if assessment is None:
        assessment = Assessment(
            person=person,
            establishment=_acting_establishment(acting_user, person),
            instrument_code=instrument.code,
            instrument_version=instrument.version,
            category=instrument.category,
            assessed_by=acting_user,
        )
        action = AccessAction.CREATE
    else:
        assessment = writes.lock(assessment, expected_version=expected_version, stale_message=STALE)
        if not assessment.is_draft:
            raise ValidationError(_("Une évaluation validée ne se modifie plus : corrigez-la."))
        action = AccessAction.UPDATE
    _check_date(person, assessed_on, assessment.establishment)
    assessment.assessed_on = assessed_on
    assessment.answers = cleaned
    _apply(assessment, instrument.partial(cleaned))
    writes.save(assessment, acting_user=acting_user)
    journal.record(user=acting_user, action=action, person=person, obj=assessment)
    return assessment


@transaction.atomic
def assessment_validate(*, acting_user, assessment: Assessment, expected_version) -> Assessment:
    """Validate a complete draft: the result is recomputed here, never taken from the form.
    If the draft corrects a validated assessment, that one is marked as replaced."""
    instrument = assessment.instrument
    person = assessment.person
    if not may_validate(acting_user, person, instrument):
        raise AccessDenied(NOT_VALIDATED % {"name": instrument.name}, person=person)
    assessment = writes.lock(assessment, expected_version=expected_version, stale_message=STALE)
    if not assessment.is_draft:
        raise ValidationError(_("Seul un brouillon peut être validé."))
    _check_date(person, assessment.assessed_on, assessment.establishment)
    previous = None
    if assessment.amends_id:
        # The replaced assessment is not the form's row: locked, not version-checked (the
        # correction was started from it, and only its status is read here).
        previous = Assessment.objects.select_for_update().get(pk=assessment.amends_id)
        if previous.status != AssessmentStatus.VALIDATED:
            # Marked in error or already replaced meanwhile: this correction has nothing to
            # replace any more (and must not bring a wrong record back into force).
            raise ValidationError(
                _(
                    "L'évaluation corrigée n'est plus en vigueur (%(status)s) : cette correction "
                    "ne peut pas être validée. Marquez-la comme saisie par erreur."
                )
                % {"status": previous.get_status_display().lower()}
            )
    cleaned = instrument.clean(assessment.answers, complete=True)
    _apply(assessment, instrument.score(cleaned))
    assessment.status = AssessmentStatus.VALIDATED
    assessment.validated_by = acting_user
    assessment.validated_at = dates.now()
    writes.save(assessment, acting_user=acting_user)
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=assessment)
    if previous is not None:
        previous.status = AssessmentStatus.AMENDED
        writes.save(
            previous,
            acting_user=acting_user,
            reason=_("Remplacée par la correction du %(d)s : %(r)s")
            % {"d": assessment.assessed_on.strftime("%d/%m/%Y"), "r": assessment.reason},
        )
        journal.record(user=acting_user, action=AccessAction.AMEND, person=person, obj=previous)
    return assessment


@transaction.atomic
def assessment_amend(
    *, acting_user, assessment: Assessment, reason: str, expected_version
) -> Assessment:
    """Start the correction of a validated assessment (read at `expected_version`): a new
    draft carrying its answers, linked to it; the validated one stays in force until the
    correction is validated."""
    reason = writes.required_reason(reason, _("Indiquez le motif de la correction."))
    _require_fill(acting_user, assessment.person, assessment.instrument)
    assessment = writes.lock(assessment, expected_version=expected_version, stale_message=STALE)
    if assessment.status != AssessmentStatus.VALIDATED:
        raise ValidationError(_("Seule une évaluation validée se corrige."))
    if assessment.amendments.filter(status=AssessmentStatus.DRAFT).exists():
        raise ValidationError(_("Une correction de cette évaluation est déjà en cours."))
    draft = Assessment(
        person=assessment.person,
        establishment=assessment.establishment,
        instrument_code=assessment.instrument_code,
        instrument_version=assessment.instrument_version,
        category=assessment.category,
        assessed_on=assessment.assessed_on,
        assessed_by=acting_user,
        answers=assessment.answers,
        amends=assessment,
        reason=reason,
    )
    _apply(draft, assessment.instrument.partial(assessment.answers))
    writes.save(draft, acting_user=acting_user, created=True)
    journal.record(
        user=acting_user, action=AccessAction.CREATE, person=assessment.person, obj=draft
    )
    return draft


@transaction.atomic
def assessment_mark_entered_in_error(
    *, acting_user, assessment: Assessment, reason: str, expected_version
) -> Assessment:
    """A wrong assessment (or a correction abandoned) is struck, never deleted: it stays in
    the history with its reason."""
    reason = writes.required_reason(reason, _("Indiquez pourquoi cette évaluation est une erreur."))
    _require_fill(acting_user, assessment.person, assessment.instrument, NOT_CHANGED)
    assessment = writes.lock(assessment, expected_version=expected_version, stale_message=STALE)
    if assessment.status in (AssessmentStatus.ENTERED_IN_ERROR, AssessmentStatus.AMENDED):
        raise ValidationError(_("Cette évaluation n'est plus en vigueur."))
    assessment.status = AssessmentStatus.ENTERED_IN_ERROR
    assessment.reason = reason
    writes.save(assessment, acting_user=acting_user, reason=reason)
    journal.record(
        user=acting_user, action=AccessAction.AMEND, person=assessment.person, obj=assessment
    )
    return assessment
