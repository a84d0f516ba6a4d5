"""Writes of the application page (step 2, pré-admettre): the pieces of the file, the MDPH
orientation (and the director's override when it does not fit), the evaluation opinions, the
pre-admission visit and the committee's decision.

Who may do what (`permissions.py`, on top of the profession × category matrix):
- pieces, orientation, visit: a write right on the "administrative" part, in the
  establishment the application was made to;
- the medical opinion: a physician (médecin, médecin coordonnateur) who writes "medical"; it
  is stored in the "medical" category, shown only to those who read it (DESIGN §4.1);
- the social opinion: whoever writes the "social" part in that establishment (by default the
  assistant de service social and the chef de service). A secretary writes "administrative"
  only: she files the application, she does not assess the person's social situation;
- the decision: the director (assignment role "director") of the application's
  establishment, who records the admission committee's outcome. An acceptance checks what the
  texts ask first: in an EHPAD the médecin coordonnateur's opinion (CASF D312-158 2°), unless
  the director writes why not; in a disability establishment a CDAPH orientation valid on the
  day and of a type fitting the establishment (CASF L241-6, `orientations.py`), unless the
  director writes why the admission goes on anyway (an `OrientationOverride`);
- a refusal of a person the CDAPH oriented is owed to the MDPH within fifteen days (CASF
  R146-36): the decision says by when, the letter « Information de la MDPH » does it.

The visit and the decision move the application: their forms carry the version of the
application they were read at. Pieces and opinions are entries added to the file: the
application is locked while they are added, its version does not change.
"""

from dataclasses import replace
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import person_access
from dui.core import dates

from ..models import (
    AdmissionDecision,
    AdmissionStatus,
    ApplicationPiece,
    DecisionOutcome,
    EvaluationOpinion,
    OpinionKind,
    Orientation,
    OrientationKind,
    OrientationOverride,
    OrientationQualification,
    PieceKind,
    PreAdmissionVisit,
    ReceptionTemporality,
)
from ..permissions import (
    OPINION_CATEGORY,
    OTHER_ESTABLISHMENT,
    handles_application,
    is_director_of,
    may_give_opinion,
)
from ..pipeline import NOTE_REQUIRED, OPINION_STATUSES, TRANSITIONS
from ..selectors import (
    MDPH_NOTICE_DAYS,
    OrientationCheck,
    acceptance_day,
    coordinator_opinion,
    needs_coordinator_opinion,
    next_statuses,
    orientation_check,
    oriented_by_cdaph,
)
from .applications import (
    apply_transition,
    lock_application,
    lock_file,
    require_file_write,
    require_open,
    status_label,
)

S = AdmissionStatus
ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
NOT_WRITTEN = _("Votre profession ne peut pas modifier cette partie du dossier.")
NOT_THE_PERSONS_DOCUMENT = _("Ce document n'est pas dans le dossier de la personne.")
OVERRIDE_BY_DIRECTOR = _(
    "Seule la direction de l'établissement peut passer outre à l'orientation CDAPH, en écrivant "
    "pourquoi."
)
NO_COORDINATOR_OPINION = _(
    "En EHPAD, l'admission se décide après l'avis du médecin coordonnateur (CASF D312-158 2°) : "
    "aucun avis de sa part n'est enregistré. Attendez son avis, ou écrivez pourquoi la décision "
    "est prise sans lui."
)


def _require_person_write(acting_user, person) -> None:
    writes.require_write(acting_user, person, ADMINISTRATIVE, NOT_WRITTEN)


# --- Pieces ------------------------------------------------------------------------------------


@transaction.atomic
def piece_expect(*, acting_user, application, kind: str, detail: str = "") -> ApplicationPiece:
    """Add a piece to the checklist of the application (expected, not yet received). « Autre
    pièce » says which one: the missing-pieces letter names it."""
    require_file_write(acting_user, application, NOT_WRITTEN)
    _require_person_write(acting_user, application.person)
    detail = (detail or "").strip()
    if kind == PieceKind.OTHER and not detail:
        raise ValidationError({"detail": _("Précisez quelle pièce est attendue.")})
    application = lock_file(application)
    require_open(application)
    piece = ApplicationPiece(application=application, kind=kind, detail=detail)
    return writes.create(piece, acting_user=acting_user, person=application.person)


@transaction.atomic
def piece_receive(
    *, acting_user, application, kind: str, received_on: date, document=None
) -> ApplicationPiece:
    """Mark a piece received (date, optionally a document of the person's record). A receipt
    happens once: the expected row becomes received, a second receipt of the same piece is
    refused by the database rule `application_piece_once`."""
    require_file_write(acting_user, application, NOT_WRITTEN)
    _require_person_write(acting_user, application.person)
    application = lock_file(application)
    require_open(application)
    if received_on > dates.today(application.establishment):
        raise ValidationError(
            {"received_on": _("La date de réception ne peut être dans le futur.")}
        )
    if received_on < application.received_on:
        raise ValidationError(
            {"received_on": _("Une pièce ne peut être reçue avant la demande elle-même.")}
        )
    if document is not None and document.person_id != application.person_id:
        raise ValidationError({"document": NOT_THE_PERSONS_DOCUMENT})
    piece = (
        ApplicationPiece.objects.filter(
            application=application, kind=kind, received_on__isnull=True
        )
        .order_by("pk")
        .first()
    )
    created = piece is None
    if created:
        piece = ApplicationPiece(application=application, kind=kind)
    piece.received_on = received_on
    piece.document = document
    writes.save(piece, acting_user=acting_user, created=created)
    journal.record(
        user=acting_user,
        action=AccessAction.CREATE if created else AccessAction.UPDATE,
        person=application.person,
        obj=piece,
    )
    return piece


# --- MDPH orientation --------------------------------------------------------------------------


@transaction.atomic
def orientation_record(
    *,
    acting_user,
    person,
    decided_on: date,
    kind: str,
    valid_from: date,
    valid_to: date,
    detail: str = "",
    qualification: str = OrientationQualification.TARGET,
    temporality: str = "",
    creton: bool = False,
    reference: str = "",
    mdph: str = "",
    document=None,
) -> Orientation:
    """Record a CDAPH orientation decision of the person (MDPH notification), with its type
    from the national nomenclature (TRE_R420) — a new orientation always says its type."""
    _require_person_write(acting_user, person)
    if kind not in OrientationKind.values:
        raise ValidationError({"kind": _("Choisissez le type d'orientation décidé par la CDAPH.")})
    if decided_on > dates.today():
        raise ValidationError({"decided_on": _("La décision ne peut être datée dans le futur.")})
    if temporality and temporality not in ReceptionTemporality.values:
        raise ValidationError({"temporality": _("Temporalité d'accueil inconnue.")})
    if document is not None and document.person_id != person.pk:
        raise ValidationError({"document": NOT_THE_PERSONS_DOCUMENT})
    orientation = Orientation(
        person=person,
        decided_on=decided_on,
        kind=kind,
        detail=(detail or "").strip(),
        qualification=qualification or OrientationQualification.TARGET,
        temporality=temporality or "",
        creton=bool(creton),
        valid_from=valid_from,
        valid_to=valid_to,
        reference=(reference or "").strip(),
        mdph=(mdph or "").strip(),
        document=document,
    )
    return writes.create(orientation, acting_user=acting_user, person=person)


def _record_override(acting_user, application, check: OrientationCheck, reason: str):
    """The director's decision to go on despite the orientation's problem, kept with the
    application (its reason, who, for which day) and journaled."""
    if not is_director_of(acting_user, application.establishment):
        raise AccessDenied(OVERRIDE_BY_DIRECTOR, person=application.person, obj=application)
    override = OrientationOverride(
        application=application,
        problem=check.problem,
        orientation=check.orientation,
        checked_on=check.on,
        warning=check.message,
        reason=reason,
        decided_by=acting_user,
    )
    return writes.create(
        override, acting_user=acting_user, person=application.person, reason=reason
    )


def require_orientation_fit(
    *, acting_user, application, on: date, override_reason: str = ""
) -> OrientationCheck:
    """Stop an acceptance or an admission on `on` that does not rest on a fitting, valid CDAPH
    orientation (`selectors.orientation_check`), unless an override covers it — or the director
    gives one now (`override_reason`, recorded and journaled). Anyone else giving a reason is
    refused. Call it inside the use case's transaction, the application locked."""
    check = orientation_check(application, on)
    if not check.blocking:
        return check
    reason = (override_reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "orientation_override_reason": _(
                    "%(problem)s La direction peut passer outre en écrivant pourquoi."
                )
                % {"problem": check.message}
            },
            code="orientation_mismatch",
        )
    return replace(check, override=_record_override(acting_user, application, check, reason))


@transaction.atomic
def orientation_override(*, acting_user, application, on: date, reason: str) -> OrientationOverride:
    """From the application page: the director goes on despite the orientation's problem for
    the day `on` (the wished entry by default), before the acceptance or the admission."""
    if not is_director_of(acting_user, application.establishment):
        raise AccessDenied(OVERRIDE_BY_DIRECTOR, person=application.person, obj=application)
    require_file_write(acting_user, application, NOT_WRITTEN)
    reason = writes.required_reason(
        reason, _("Écrivez pourquoi l'admission se fait malgré l'orientation.")
    )
    application = lock_file(application)
    require_open(application)
    check = orientation_check(application, on)
    if not check.problem:
        raise ValidationError(
            _("L'orientation CDAPH convient à cet établissement à cette date : rien à déroger.")
        )
    if check.override is not None:
        raise ValidationError(_("La direction a déjà passé outre à cet écart."))
    return _record_override(acting_user, application, check, reason)


# --- Opinions ----------------------------------------------------------------------------------


@transaction.atomic
def opinion_give(
    *,
    acting_user,
    application,
    kind: str,
    value: str,
    text: str = "",
    given_on: date | None = None,
) -> EvaluationOpinion:
    """Give the medical or the social opinion on an application, each by the right profession."""
    if kind not in OPINION_CATEGORY:
        raise ValidationError({"kind": _("Choisissez l'avis médical ou l'avis social.")})
    person = application.person
    if not handles_application(acting_user, application):
        raise AccessDenied(OTHER_ESTABLISHMENT, person=person, obj=application)
    if not may_give_opinion(acting_user, person_access(user=acting_user, person=person), kind):
        if kind == OpinionKind.MEDICAL:
            raise AccessDenied(_("L'avis médical est donné par un médecin."), person=person)
        raise AccessDenied(_("Votre profession ne peut pas donner l'avis social."), person=person)
    application = lock_file(application)
    if application.status not in OPINION_STATUSES:
        raise ValidationError(
            _("Les avis se donnent pendant l'évaluation de la demande (statut actuel : « %(s)s »).")
            % {"s": status_label(application.status)}
        )
    today = dates.today(application.establishment)
    given_on = given_on or today
    if given_on > today:
        raise ValidationError({"given_on": _("Un avis ne peut être daté dans le futur.")})
    opinion = EvaluationOpinion(
        application=application,
        kind=kind,
        category=OPINION_CATEGORY[kind],
        value=value,
        text=text,
        given_on=given_on,
        author=acting_user,
        author_profession=getattr(getattr(acting_user, "profession", None), "code", "") or "",
    )
    return writes.create(opinion, acting_user=acting_user, person=person)


# --- Pre-admission visit -----------------------------------------------------------------------


@transaction.atomic
def visit_plan(
    *, acting_user, application, planned_at, participants: str = "", expected_version
) -> PreAdmissionVisit:
    """Plan the pre-admission visit; the application moves to "visite prévue"."""
    require_file_write(acting_user, application, NOT_WRITTEN)
    _require_person_write(acting_user, application.person)
    application = lock_application(application, expected_version=expected_version)
    if S.VISIT_PLANNED not in TRANSITIONS[application.status]:
        raise ValidationError(
            _("Une visite ne peut être prévue pour une demande « %(s)s ».")
            % {"s": status_label(application.status)}
        )
    visit = PreAdmissionVisit(
        application=application, planned_at=planned_at, participants=participants
    )
    writes.create(visit, acting_user=acting_user, person=application.person)
    apply_transition(acting_user=acting_user, application=application, to_status=S.VISIT_PLANNED)
    return visit


@transaction.atomic
def visit_report(
    *,
    acting_user,
    application,
    done_at,
    report: str,
    participants: str | None = None,
    expected_version,
) -> PreAdmissionVisit:
    """Report the planned visit (when, what was seen and said); the application moves to
    "visite faite" — never without a report. The visit is changed with the application it
    moves: the application's version guards both."""
    require_file_write(acting_user, application, NOT_WRITTEN)
    _require_person_write(acting_user, application.person)
    application = lock_application(application, expected_version=expected_version)
    if application.status != S.VISIT_PLANNED:
        raise ValidationError(
            _("Seule une visite prévue peut être rapportée (statut actuel : « %(s)s »).")
            % {"s": status_label(application.status)}
        )
    report = (report or "").strip()
    if not report:
        raise ValidationError({"report": _("Une visite faite a son compte rendu.")})
    if done_at > dates.now():
        raise ValidationError({"done_at": _("Une visite ne peut être faite dans le futur.")})
    visit = (
        PreAdmissionVisit.objects.select_for_update()
        .filter(application=application, done_at__isnull=True)
        .order_by("-planned_at")
        .first()
    )
    if visit is None:
        raise ValidationError(_("Aucune visite prévue à rapporter."))
    visit.done_at = done_at
    visit.report = report
    if participants is not None:
        visit.participants = participants
    writes.save(visit, acting_user=acting_user)
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=application.person, obj=visit
    )
    apply_transition(acting_user=acting_user, application=application, to_status=S.VISIT_DONE)
    return visit


# --- Committee decision ------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    acting_user,
    application,
    outcome: str,
    reason: str = "",
    committee: str = "",
    decided_on: date | None = None,
    without_medical_opinion_reason: str = "",
    orientation_override_reason: str = "",
    expected_version,
) -> AdmissionDecision:
    """Record the admission committee's decision (by the director); the application follows
    it. An acceptance needs, in an EHPAD, the médecin coordonnateur's opinion or the written
    reason to decide without it (D312-158 2°), and in a disability establishment a fitting
    CDAPH orientation for the wished entry (else the decision's day) or the director's written
    reason to go on (L241-6). A refusal of a person the CDAPH oriented is owed to the MDPH
    within fifteen days (R146-36)."""
    if not is_director_of(acting_user, application.establishment):
        raise AccessDenied(
            _("La décision de la commission d'admission est enregistrée par la direction."),
            person=application.person,
        )
    require_file_write(acting_user, application, NOT_WRITTEN)
    _require_person_write(acting_user, application.person)
    application = lock_application(application, expected_version=expected_version)
    if outcome not in DecisionOutcome.values:
        raise ValidationError({"outcome": _("Choisissez une décision.")})
    if outcome not in next_statuses(application):
        raise ValidationError(
            _("Une demande « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": status_label(application.status), "to": status_label(outcome)},
            code="illegal_transition",
        )
    reason = (reason or "").strip()
    if outcome in NOTE_REQUIRED and not reason:
        raise ValidationError({"reason": NOTE_REQUIRED[outcome]})
    today = dates.today(application.establishment)
    decided_on = decided_on or today
    if decided_on > today:
        raise ValidationError({"decided_on": _("Une décision ne peut être datée dans le futur.")})
    without_opinion = ""
    if outcome == DecisionOutcome.ACCEPTED:
        if needs_coordinator_opinion(application) and coordinator_opinion(application) is None:
            without_opinion = (without_medical_opinion_reason or "").strip()
            if not without_opinion:
                raise ValidationError(
                    {"without_medical_opinion_reason": NO_COORDINATOR_OPINION},
                    code="no_coordinator_opinion",
                )
        require_orientation_fit(
            acting_user=acting_user,
            application=application,
            on=acceptance_day(application, decided_on),
            override_reason=orientation_override_reason,
        )
    mdph_due = None
    if outcome == DecisionOutcome.REFUSED and oriented_by_cdaph(application):
        mdph_due = decided_on + timedelta(days=MDPH_NOTICE_DAYS)
    decision = AdmissionDecision(
        application=application,
        outcome=outcome,
        reason=reason,
        committee=committee,
        decided_on=decided_on,
        decided_by=acting_user,
        without_medical_opinion_reason=without_opinion,
        mdph_notice_due_by=mdph_due,
    )
    writes.create(decision, acting_user=acting_user, person=application.person, reason=reason)
    apply_transition(
        acting_user=acting_user, application=application, to_status=outcome, note=reason
    )
    return decision
