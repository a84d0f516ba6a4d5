"""Writes of the application page (step 2, pré-admettre): the pieces of the file, the MDPH
orientation, the evaluation opinions, the pre-admission visit and the committee's decision.
One transaction per use case, the acting user always given, the journal written in the same
transaction; the request moves along the pipeline only through `admission_request_transition`.

Who may do what (decided here, on top of the profession × category matrix):
- pieces, orientation, visit, plain transitions: a write right on the "administrative" part;
- the medical opinion: a physician (médecin, médecin coordonnateur) who writes "medical"; it
  is stored in the "medical" category, shown only to those who read it (DESIGN §4.1);
- the social opinion: whoever writes the "social" part in that establishment (by default the
  assistant de service social and the chef de service). A secretary writes "administrative"
  only: she files the application, she does not assess the person's social situation;
- the decision: the director (assignment role "director") of the request's establishment,
  who records the admission committee's outcome.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access import journal
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import active_assignments, assigned_establishment_ids, person_access

from .models import (
    AdmissionDecision,
    AdmissionRequest,
    AdmissionStatus,
    DecisionOutcome,
    EvaluationOpinion,
    OpinionKind,
    Orientation,
    PieceKind,
    PreAdmissionVisit,
    RequestPiece,
)
from .pipeline import NOTE_REQUIRED, TRANSITIONS
from .services import admission_request_transition

S = AdmissionStatus
ADM = InformationCategory.ADMINISTRATIVE

# Establishments for disabled persons: admission needs a CDAPH orientation (CASF L241-6).
DISABILITY_CATEGORIES = frozenset(
    {
        "ime",
        "itep",
        "sessad",
        "mas",
        "fam",
        "esat",
        "foyer_de_vie",
        "foyer_hebergement",
        "savs",
        "samsah",
    }
)
# Establishments for older persons: dossier unique d'admission (Cerfa 14732).
ELDERLY_CATEGORIES = frozenset({"ehpad", "residence_autonomie", "accueil_de_jour", "ssiad"})

MEDICAL_OPINION_PROFESSIONS = frozenset({"medecin", "medecin_coordonnateur"})
OPINION_CATEGORY = {OpinionKind.MEDICAL: "medical", OpinionKind.SOCIAL: "social"}
# Statuses in which opinions are given (the evaluation runs until the committee decides).
OPINION_STATUSES = frozenset({S.EVALUATION, S.VISIT_PLANNED, S.VISIT_DONE, S.POSTPONED})
# Targets reached only through their own use case (the page shows their form, not a button).
DEDICATED_TARGETS = {
    S.VISIT_PLANNED: "visit_plan",
    S.VISIT_DONE: "visit_report",
    S.ACCEPTED: "decision_record",
    S.REFUSED: "decision_record",
    S.POSTPONED: "decision_record",
    S.ADMITTED: "admission",
}
ORIENTATION_WARNING_DAYS = 90


# --- Reading helpers (no writes) ---------------------------------------------------------------


def default_piece_kinds(establishment) -> list[str]:
    """The pieces expected by default for an application to this establishment."""
    if establishment.category in DISABILITY_CATEGORIES:
        return [PieceKind.MDPH_NOTIFICATION]
    if establishment.category in ELDERLY_CATEGORIES:
        return [PieceKind.CERFA_ADMINISTRATIVE, PieceKind.CERFA_MEDICAL]
    return []


def checklist(request, pieces=None) -> list[dict]:
    """The checklist: stored pieces, plus the default ones not yet stored (never written on a
    read: a default piece becomes a row when it is received)."""
    pieces = list(request.pieces.all()) if pieces is None else list(pieces)
    stored_kinds = {p.kind for p in pieces}
    rows = [
        {"kind": kind, "label": str(PieceKind(kind).label), "piece": None}
        for kind in default_piece_kinds(request.establishment)
        if kind not in stored_kinds
    ]
    rows += [{"kind": p.kind, "label": str(p.get_kind_display()), "piece": p} for p in pieces]
    order = {k: i for i, k in enumerate(PieceKind.values)}
    rows.sort(key=lambda r: order.get(r["kind"], 99))
    return rows


def missing_pieces(rows) -> list[str]:
    return [r["label"] for r in rows if r["piece"] is None or r["piece"].received_on is None]


def orientation_warning(orientation, today: date | None = None) -> str:
    """French warning when the orientation has expired or expires within 90 days."""
    if orientation is None:
        return ""
    today = today or timezone.localdate()
    if orientation.valid_to < today:
        return _(
            "L'orientation MDPH a expiré le %(date)s : une nouvelle décision est nécessaire."
        ) % {"date": orientation.valid_to.strftime("%d/%m/%Y")}
    if orientation.valid_to <= today + timedelta(days=ORIENTATION_WARNING_DAYS):
        return _(
            "L'orientation MDPH expire le %(date)s (dans %(days)s jours) : "
            "pensez à demander son renouvellement."
        ) % {
            "date": orientation.valid_to.strftime("%d/%m/%Y"),
            "days": (orientation.valid_to - today).days,
        }
    return ""


def is_director_of(user, establishment) -> bool:
    return any(
        a.establishment_id == establishment.pk and a.role == "director"
        for a in active_assignments(user)
    )


def may_give_opinion(user, access, kind: str) -> bool:
    category = OPINION_CATEGORY[kind]
    if not access.can_write(category):
        return False
    if kind == OpinionKind.MEDICAL:
        profession = getattr(user, "profession", None)
        return getattr(profession, "code", None) in MEDICAL_OPINION_PROFESSIONS
    return True


# --- Internal checks ----------------------------------------------------------------------------


def _locked(request) -> AdmissionRequest:
    return (
        AdmissionRequest.objects.select_for_update()
        .select_related("establishment", "person")
        .get(pk=request.pk)
    )


def _check_version(request, expected_version):
    if expected_version is not None and request.version != expected_version:
        raise ValidationError(
            _(
                "Cette demande a été modifiée par quelqu'un d'autre pendant votre saisie : "
                "rechargez la page."
            ),
            code="stale_version",
        )


def _require_write(acting_user, person, category=ADM, *, establishment_id=None):
    """Write right on the person's record and, for an application's file, an assignment in
    the application's establishment (another establishment following the person acts on its
    own applications only)."""
    if establishment_id is not None and establishment_id not in assigned_establishment_ids(
        acting_user
    ):
        raise PermissionDenied(_("Cette demande est instruite par un autre établissement."))
    access = person_access(user=acting_user, person=person)
    if not access.can_write(category):
        raise PermissionDenied(_("Votre profession ne peut pas modifier cette partie du dossier."))
    return access


def _require_open(request):
    if not TRANSITIONS[request.status]:
        raise ValidationError(
            _("Cette demande est close (« %(status)s ») : elle ne peut plus être modifiée.")
            % {"status": AdmissionStatus(request.status).label}
        )


def _save(instance, acting_user, *, created: bool):
    if created:
        instance.created_by = acting_user
    instance.updated_by = acting_user
    instance._history_user = acting_user
    instance.full_clean()
    instance.save()


# --- Transitions -------------------------------------------------------------------------------


@transaction.atomic
def request_transition(
    *, acting_user, request, to_status: str, note: str = "", expected_version=None
) -> AdmissionRequest:
    """A plain move of the pipeline from the page's buttons. Moves that have their own use case
    (visit planned/done, the committee's decision, the admission) are refused here."""
    if to_status in DEDICATED_TARGETS:
        raise ValidationError(
            _("Ce passage se fait par son propre formulaire (visite, décision ou admission)."),
            code="dedicated_transition",
        )
    return admission_request_transition(
        acting_user=acting_user,
        request=request,
        to_status=to_status,
        note=note,
        expected_version=expected_version,
    )


# --- Pieces ------------------------------------------------------------------------------------


@transaction.atomic
def piece_expect(*, acting_user, request, kind: str) -> RequestPiece:
    """Add a piece to the checklist of the application (expected, not yet received)."""
    request = _locked(request)
    _require_write(acting_user, request.person, establishment_id=request.establishment_id)
    _require_open(request)
    piece = RequestPiece(request=request, kind=kind)
    _save(piece, acting_user, created=True)
    journal.record(user=acting_user, action=AccessAction.CREATE, person=request.person, obj=piece)
    return piece


@transaction.atomic
def piece_receive(
    *, acting_user, request, kind: str, received_on: date, document=None
) -> RequestPiece:
    """Mark a piece received (date, optionally a document of the person's record)."""
    request = _locked(request)
    _require_write(acting_user, request.person, establishment_id=request.establishment_id)
    _require_open(request)
    if received_on > timezone.localdate():
        raise ValidationError(
            {"received_on": _("La date de réception ne peut être dans le futur.")}
        )
    if received_on < request.received_on:
        raise ValidationError(
            {"received_on": _("Une pièce ne peut être reçue avant la demande elle-même.")}
        )
    if document is not None and document.person_id != request.person_id:
        raise ValidationError(
            {"document": _("Ce document n'est pas dans le dossier de la personne.")}
        )
    piece = (
        RequestPiece.objects.filter(request=request, kind=kind, received_on__isnull=True)
        .order_by("pk")
        .first()
    )
    created = piece is None
    if created:
        piece = RequestPiece(request=request, kind=kind)
    piece.received_on = received_on
    piece.document = document
    _save(piece, acting_user, created=created)
    journal.record(
        user=acting_user,
        action=AccessAction.CREATE if created else AccessAction.UPDATE,
        person=request.person,
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
    establishment_type: str,
    valid_from: date,
    valid_to: date,
    reference: str = "",
    document=None,
) -> Orientation:
    """Record a CDAPH orientation decision of the person (MDPH notification)."""
    _require_write(acting_user, person)
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("La décision ne peut être datée dans le futur.")})
    if document is not None and document.person_id != person.pk:
        raise ValidationError(
            {"document": _("Ce document n'est pas dans le dossier de la personne.")}
        )
    orientation = Orientation(
        person=person,
        decided_on=decided_on,
        establishment_type=establishment_type,
        valid_from=valid_from,
        valid_to=valid_to,
        reference=reference,
        document=document,
    )
    _save(orientation, acting_user, created=True)
    journal.record(user=acting_user, action=AccessAction.CREATE, person=person, obj=orientation)
    return orientation


# --- Opinions ----------------------------------------------------------------------------------


@transaction.atomic
def opinion_give(
    *, acting_user, request, kind: str, value: str, text: str = "", given_on: date | None = None
) -> EvaluationOpinion:
    """Give the medical or the social opinion on an application, each by the right profession."""
    if kind not in OPINION_CATEGORY:
        raise ValidationError({"kind": _("Choisissez l'avis médical ou l'avis social.")})
    request = _locked(request)
    if request.establishment_id not in assigned_establishment_ids(acting_user):
        raise PermissionDenied(_("Cette demande est instruite par un autre établissement."))
    access = person_access(user=acting_user, person=request.person)
    if not may_give_opinion(acting_user, access, kind):
        if kind == OpinionKind.MEDICAL:
            raise PermissionDenied(_("L'avis médical est donné par un médecin."))
        raise PermissionDenied(_("Votre profession ne peut pas donner l'avis social."))
    if request.status not in OPINION_STATUSES:
        raise ValidationError(
            _("Les avis se donnent pendant l'évaluation de la demande (statut actuel : « %(s)s »).")
            % {"s": AdmissionStatus(request.status).label}
        )
    given_on = given_on or timezone.localdate()
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Un avis ne peut être daté dans le futur.")})
    opinion = EvaluationOpinion(
        request=request,
        kind=kind,
        category=OPINION_CATEGORY[kind],
        value=value,
        text=text,
        given_on=given_on,
        author=acting_user,
    )
    _save(opinion, acting_user, created=True)
    journal.record(user=acting_user, action=AccessAction.CREATE, person=request.person, obj=opinion)
    return opinion


# --- Pre-admission visit -----------------------------------------------------------------------


@transaction.atomic
def visit_plan(
    *, acting_user, request, planned_at, participants: str = "", expected_version=None
) -> PreAdmissionVisit:
    """Plan the pre-admission visit; the request moves to "visite prévue"."""
    request = _locked(request)
    _check_version(request, expected_version)
    _require_write(acting_user, request.person, establishment_id=request.establishment_id)
    if S.VISIT_PLANNED not in TRANSITIONS[request.status]:
        raise ValidationError(
            _("Une visite ne peut être prévue pour une demande « %(s)s ».")
            % {"s": AdmissionStatus(request.status).label}
        )
    visit = PreAdmissionVisit(request=request, planned_at=planned_at, participants=participants)
    _save(visit, acting_user, created=True)
    journal.record(user=acting_user, action=AccessAction.CREATE, person=request.person, obj=visit)
    admission_request_transition(
        acting_user=acting_user, request=request, to_status=S.VISIT_PLANNED
    )
    return visit


@transaction.atomic
def visit_report(
    *, acting_user, request, done_at, report: str, participants: str | None = None
) -> PreAdmissionVisit:
    """Report the planned visit (when, what was seen and said); the request moves to "visite
    faite" — never without a report."""
    request = _locked(request)
    _require_write(acting_user, request.person, establishment_id=request.establishment_id)
    if request.status != S.VISIT_PLANNED:
        raise ValidationError(
            _("Seule une visite prévue peut être rapportée (statut actuel : « %(s)s »).")
            % {"s": AdmissionStatus(request.status).label}
        )
    report = (report or "").strip()
    if not report:
        raise ValidationError({"report": _("Une visite faite a son compte rendu.")})
    if done_at > timezone.now():
        raise ValidationError({"done_at": _("Une visite ne peut être faite dans le futur.")})
    visit = (
        PreAdmissionVisit.objects.select_for_update()
        .filter(request=request, done_at__isnull=True)
        .order_by("-planned_at")
        .first()
    )
    if visit is None:
        raise ValidationError(_("Aucune visite prévue à rapporter."))
    visit.done_at = done_at
    visit.report = report
    if participants is not None:
        visit.participants = participants
    _save(visit, acting_user, created=False)
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=request.person, obj=visit)
    admission_request_transition(acting_user=acting_user, request=request, to_status=S.VISIT_DONE)
    return visit


# --- Committee decision ------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    acting_user,
    request,
    outcome: str,
    reason: str = "",
    committee: str = "",
    decided_on: date | None = None,
    expected_version=None,
) -> AdmissionDecision:
    """Record the admission committee's decision (by the director); the request follows it."""
    request = _locked(request)
    _check_version(request, expected_version)
    if not is_director_of(acting_user, request.establishment):
        raise PermissionDenied(
            _("La décision de la commission d'admission est enregistrée par la direction.")
        )
    _require_write(acting_user, request.person, establishment_id=request.establishment_id)
    if outcome not in DecisionOutcome.values:
        raise ValidationError({"outcome": _("Choisissez une décision.")})
    if outcome not in TRANSITIONS[request.status]:
        raise ValidationError(
            _("Une demande « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": AdmissionStatus(request.status).label, "to": AdmissionStatus(outcome).label},
            code="illegal_transition",
        )
    reason = (reason or "").strip()
    if outcome in NOTE_REQUIRED and not reason:
        raise ValidationError({"reason": NOTE_REQUIRED[outcome]})
    decided_on = decided_on or timezone.localdate()
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("Une décision ne peut être datée dans le futur.")})
    decision = AdmissionDecision(
        request=request,
        outcome=outcome,
        reason=reason,
        committee=committee,
        decided_on=decided_on,
        decided_by=acting_user,
    )
    decision._change_reason = reason
    _save(decision, acting_user, created=True)
    journal.record(
        user=acting_user, action=AccessAction.CREATE, person=request.person, obj=decision
    )
    admission_request_transition(
        acting_user=acting_user, request=request, to_status=outcome, note=reason
    )
    return decision
