"""Writes on assessments: save a draft, validate, amend, mark entered in error.

The server always recomputes the result from the answers (the browser's live total is only a
preview). A draft may be incomplete; validation needs every required answer and the profession
the instrument names. A validated assessment is never edited: it is amended by a new one.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access import journal
from dui.access.models import AccessAction
from dui.access.policy import person_access

from .instruments.base import Instrument, Result
from .models import Assessment, AssessmentStatus


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


def _check_date(person, assessed_on: date) -> None:
    if assessed_on > timezone.localdate():
        raise ValidationError(
            {"assessed_on": _("La date de l'évaluation ne peut être dans le futur.")}
        )
    if assessed_on < person.birth_date:
        raise ValidationError(
            {"assessed_on": _("La date de l'évaluation précède la naissance de la personne.")}
        )


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
        raise PermissionDenied(
            _("Vous n'êtes affecté(e) à aucun établissement qui suit cette personne.")
        )
    return assignment.establishment


def _locked(assessment: Assessment, expected_version: int | None) -> Assessment:
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if expected_version is None or current.version != expected_version:
        raise ValidationError(
            _(
                "Cette évaluation a été modifiée par quelqu'un d'autre pendant votre saisie : "
                "rechargez la page."
            ),
            code="stale_version",
        )
    return current


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
    """Create or update a draft. Answers are checked one by one (an answer outside the options
    is refused); missing ones are allowed in a draft."""
    if not may_fill(acting_user, person, instrument):
        raise PermissionDenied(_("Votre profession ne peut pas remplir cet instrument."))
    _check_date(person, assessed_on)
    cleaned = instrument.clean(answers, complete=False)
    if assessment is None:
        assessment = Assessment(
            person=person,
            establishment=_acting_establishment(acting_user, person),
            instrument_code=instrument.code,
            instrument_version=instrument.version,
            category=instrument.category,
            assessed_by=acting_user,
            created_by=acting_user,
        )
        action = AccessAction.CREATE
    else:
        assessment = _locked(assessment, expected_version)
        if not assessment.is_draft:
            raise ValidationError(_("Une évaluation validée ne se modifie plus : corrigez-la."))
        assessment.version += 1
        action = AccessAction.UPDATE
    assessment.assessed_on = assessed_on
    assessment.answers = cleaned
    _apply(assessment, instrument.partial(cleaned))
    assessment.updated_by = acting_user
    assessment._history_user = acting_user
    assessment.full_clean()
    assessment.save()
    journal.record(user=acting_user, action=action, person=person, obj=assessment)
    return assessment


@transaction.atomic
def assessment_validate(
    *, acting_user, assessment: Assessment, expected_version: int | None
) -> Assessment:
    """Validate a complete draft: the result is recomputed here, never taken from the form.
    If the draft corrects a validated assessment, that one is marked as replaced."""
    instrument = assessment.instrument
    person = assessment.person
    if not may_validate(acting_user, person, instrument):
        raise PermissionDenied(
            _("Votre profession ne peut pas valider cet instrument (%(name)s).")
            % {"name": instrument.name}
        )
    assessment = _locked(assessment, expected_version)
    if not assessment.is_draft:
        raise ValidationError(_("Seul un brouillon peut être validé."))
    _check_date(person, assessment.assessed_on)
    previous = None
    if assessment.amends_id:
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
    assessment.validated_at = timezone.now()
    assessment.version += 1
    assessment.updated_by = acting_user
    assessment._history_user = acting_user
    assessment.full_clean()
    assessment.save()
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=assessment)
    if previous is not None:
        previous.status = AssessmentStatus.AMENDED
        previous.version += 1
        previous.updated_by = acting_user
        previous._history_user = acting_user
        previous._change_reason = _("Remplacée par la correction du %(d)s : %(r)s") % {
            "d": assessment.assessed_on.strftime("%d/%m/%Y"),
            "r": assessment.reason,
        }
        previous.save(update_fields=["status", "version", "updated_by", "updated_at"])
        journal.record(user=acting_user, action=AccessAction.AMEND, person=person, obj=previous)
    return assessment


@transaction.atomic
def assessment_amend(*, acting_user, assessment: Assessment, reason: str) -> Assessment:
    """Start the correction of a validated assessment: a new draft carrying its answers, linked
    to it; the validated one stays in force until the correction is validated."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif de la correction.")})
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.VALIDATED:
        raise ValidationError(_("Seule une évaluation validée se corrige."))
    instrument = assessment.instrument
    if not may_fill(acting_user, assessment.person, instrument):
        raise PermissionDenied(_("Votre profession ne peut pas remplir cet instrument."))
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
        created_by=acting_user,
        updated_by=acting_user,
    )
    _apply(draft, instrument.partial(assessment.answers))
    draft._history_user = acting_user
    draft.full_clean()
    draft.save()
    journal.record(
        user=acting_user, action=AccessAction.CREATE, person=assessment.person, obj=draft
    )
    return draft


@transaction.atomic
def assessment_mark_entered_in_error(
    *, acting_user, assessment: Assessment, reason: str, expected_version: int | None
) -> Assessment:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez pourquoi cette évaluation est une erreur.")})
    if not may_fill(acting_user, assessment.person, assessment.instrument):
        raise PermissionDenied(_("Votre profession ne peut pas modifier cet instrument."))
    assessment = _locked(assessment, expected_version)
    if assessment.status in (AssessmentStatus.ENTERED_IN_ERROR, AssessmentStatus.AMENDED):
        raise ValidationError(_("Cette évaluation n'est plus en vigueur."))
    assessment.status = AssessmentStatus.ENTERED_IN_ERROR
    assessment.reason = reason
    assessment.version += 1
    assessment.updated_by = acting_user
    assessment._history_user = acting_user
    assessment._change_reason = reason
    assessment.full_clean()
    assessment.save()
    journal.record(
        user=acting_user, action=AccessAction.AMEND, person=assessment.person, obj=assessment
    )
    return assessment
