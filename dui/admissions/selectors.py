"""Reads of the pathway: inquiries, applications and their file, the waiting list, letters,
contracts, the welcome checklist. Persons always come through `persons_visible_to` (one
subquery, no loop). Selectors only read: no journal line, no refusal, no HTTP request."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext as _

from dui.access.models import InformationCategory
from dui.access.policy import assigned_establishment_ids, persons_visible_to
from dui.accounts.models import Assignment
from dui.assessments.models import Assessment, AssessmentStatus
from dui.core import dates
from dui.documents.models import Document, DocumentKind
from dui.people.models import LegalProtection
from dui.stays.models import Stay

from .default_letters import default_body, default_title
from .models import (
    DEFAULT_WAITING_CRITERIA,
    AdmissionDecision,
    AdmissionRequest,
    AdmissionStatus,
    Contract,
    DecisionOutcome,
    Inquiry,
    InquiryStatus,
    LetterTemplate,
    PieceKind,
    WaitingCriterion,
    WaitingListPolicy,
    WelcomeChecklistItem,
    WelcomeItem,
)
from .permissions import OPINION_CATEGORY
from .pipeline import OPEN_STATUSES

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
# Open statuses in the order of the pipeline (the board's columns).
BOARD_STATUSES = [s for s in AdmissionStatus.values if s in OPEN_STATUSES]

# --- Inquiries (step 1) -----------------------------------------------------------------------


def open_inquiries(*, user, establishment):
    """Open inquiries of the establishment, the follow-up date first (none last). An inquiry
    about an existing person shows only if the user may see that person."""
    visible = persons_visible_to(user=user)
    return (
        Inquiry.objects.filter(establishment=establishment, status=InquiryStatus.OPEN)
        .filter(Q(person__isnull=True) | Q(person__in=visible))
        .select_related("person")
        .order_by(F("follow_up_on").asc(nulls_last=True), "received_at", "pk")
    )


def visible_inquiry(*, user, establishment, inquiry_id):
    """One inquiry of the establishment the user may handle, or None."""
    visible = persons_visible_to(user=user)
    return (
        Inquiry.objects.filter(establishment=establishment, public_id=inquiry_id)
        .filter(Q(person__isnull=True) | Q(person__in=visible))
        .select_related("person", "establishment")
        .first()
    )


# --- Applications (step 2) --------------------------------------------------------------------


def application_by_public_id(public_id) -> AdmissionRequest | None:
    """The application a URL names, with what its access check needs (establishment, person)."""
    return (
        AdmissionRequest.objects.select_related("establishment", "person")
        .filter(public_id=public_id)
        .first()
    )


def visible_applications(*, user, establishment):
    return AdmissionRequest.objects.filter(
        establishment=establishment, person__in=persons_visible_to(user=user)
    )


def pipeline_counts(*, user, establishment) -> dict[str, int]:
    """{status: count} over every status (zero included), in one query."""
    counts = dict.fromkeys(AdmissionStatus.values, 0)
    rows = (
        visible_applications(user=user, establishment=establishment)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def pipeline_board(*, user, establishment, per_column: int = 50) -> list[dict]:
    """Columns of open statuses with their cards (oldest application first), in one query."""
    applications = (
        visible_applications(user=user, establishment=establishment)
        .filter(status__in=BOARD_STATUSES)
        .select_related("person")
        .order_by("-urgent", "received_on", "pk")
    )
    columns = {s: [] for s in BOARD_STATUSES}
    for application in applications:
        columns[application.status].append(application)
    return [
        {
            "status": s,
            "label": AdmissionStatus(s).label,
            "count": len(columns[s]),
            "cards": columns[s][:per_column],
        }
        for s in BOARD_STATUSES
    ]


def pipeline_list(
    *, user, establishment, status="", place_kind="", source="", urgent=False, newest_first=True
):
    applications = visible_applications(user=user, establishment=establishment).select_related(
        "person"
    )
    if status:
        applications = applications.filter(status=status)
    if place_kind:
        applications = applications.filter(place_kind=place_kind)
    if source:
        applications = applications.filter(source=source)
    if urgent:
        applications = applications.filter(urgent=True)
    order = ("-received_on", "-pk") if newest_first else ("received_on", "pk")
    return applications.order_by(*order)


# --- The waiting list -------------------------------------------------------------------------


def waiting_list_policy(establishment) -> WaitingListPolicy:
    """The establishment's priority rules, or the default ones (not saved, version 0)."""
    policy = WaitingListPolicy.objects.filter(establishment=establishment).first()
    return policy or WaitingListPolicy(
        establishment=establishment, criteria=list(DEFAULT_WAITING_CRITERIA), version=0
    )


def waiting_list(*, user, establishment):
    """The waiting list ordered by the establishment's priority rules (WaitingListPolicy; by
    default: urgent first, then the manual rank, then the date of reception). Every criterion
    is an SQL ordering: the list pages in the database whatever its length."""
    policy = waiting_list_policy(establishment)
    applications = (
        visible_applications(user=user, establishment=establishment)
        .filter(status=AdmissionStatus.WAITING_LIST)
        .select_related("person")
    )
    ordering = []
    for criterion in policy.criteria:
        if criterion == WaitingCriterion.URGENT:
            ordering.append(F("urgent").desc())
        elif criterion == WaitingCriterion.MANUAL:
            ordering.append(F("waiting_rank").asc(nulls_last=True))
        elif criterion == WaitingCriterion.LOCAL and policy.postcode_prefixes:
            local = Q()
            for prefix in policy.postcode_prefixes:
                local |= Q(person__administrative_file__previous_postcode__startswith=prefix)
            applications = applications.annotate(
                is_local=Case(
                    When(local, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
            )
            ordering.append(F("is_local").asc())
        elif criterion == WaitingCriterion.DEPENDENCY:
            last_gir = (
                Assessment.objects.filter(
                    person=OuterRef("person"),
                    instrument_code="aggir",
                    status=AssessmentStatus.VALIDATED,
                )
                .order_by("-assessed_on", "-pk")
                .values("score")[:1]
            )
            applications = applications.annotate(last_gir=Subquery(last_gir))
            ordering.append(F("last_gir").asc(nulls_last=True))
        elif criterion == WaitingCriterion.DATE:
            ordering.append(F("received_on").asc())
    return applications.order_by(*ordering, "received_on", "pk")


# --- The application's file -------------------------------------------------------------------

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
ORIENTATION_WARNING_DAYS = 90


def default_piece_kinds(establishment) -> list[str]:
    """The pieces expected by default for an application to this establishment."""
    if establishment.category in DISABILITY_CATEGORIES:
        return [PieceKind.MDPH_NOTIFICATION]
    if establishment.category in ELDERLY_CATEGORIES:
        return [PieceKind.CERFA_ADMINISTRATIVE, PieceKind.CERFA_MEDICAL]
    return []


def checklist(application, pieces=None) -> list[dict]:
    """The checklist: stored pieces, plus the default ones not yet stored (never written on a
    read: a default piece becomes a row when it is received)."""
    pieces = list(application.pieces.all()) if pieces is None else list(pieces)
    stored_kinds = {p.kind for p in pieces}
    rows = [
        {"kind": kind, "label": str(PieceKind(kind).label), "piece": None}
        for kind in default_piece_kinds(application.establishment)
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
    today = today or dates.today()
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
            "days": dates.days_between(today, orientation.valid_to),
        }
    return ""


@dataclass
class ApplicationFile:
    """What the application page shows, read in a fixed number of queries."""

    events: list
    rows: list  # the pieces' checklist
    opinions: list  # only those of the categories the user reads
    visits: list
    decisions: list
    orientation: object | None


def application_file(*, application, access) -> ApplicationFile:
    readable = {kind for kind, category in OPINION_CATEGORY.items() if access.can_read(category)}
    pieces = application.pieces.select_related("document").order_by("pk")
    return ApplicationFile(
        events=list(application.events.select_related("by").order_by("at", "pk")),
        rows=checklist(application, pieces),
        opinions=list(application.opinions.select_related("author").filter(kind__in=readable)),
        visits=list(application.visits.order_by("planned_at")),
        decisions=list(application.decisions.select_related("decided_by")),
        orientation=application.person.orientations.order_by("-valid_to", "-pk").first(),
    )


def readable_documents(*, person, access, limit: int = 50) -> list:
    """The person's documents the user reads (to attach to a piece), newest first."""
    return list(
        Document.objects.readable_with(access)
        .current()
        .filter(person=person)
        .order_by("-document_date", "-pk")[:limit]
    )


def latest_decision(application) -> AdmissionDecision | None:
    return (
        AdmissionDecision.objects.filter(application=application)
        .order_by("decided_on", "pk")
        .last()
    )


def refusal_reason(application) -> str:
    """The committee's reason, when its latest decision is a refusal."""
    decision = latest_decision(application)
    return decision.reason if decision and decision.outcome == DecisionOutcome.REFUSED else ""


# --- Letters and their templates --------------------------------------------------------------


def letter_template_of(establishment, kind: str) -> LetterTemplate | None:
    return LetterTemplate.objects.filter(establishment=establishment, kind=kind).first()


def letter_templates_of(establishment) -> dict[str, LetterTemplate]:
    return {t.kind: t for t in LetterTemplate.objects.filter(establishment=establishment)}


def letter_wording(establishment, kind: str) -> tuple[str, str]:
    """(title, body) of a letter: the establishment's own wording, else the default one."""
    template = letter_template_of(establishment, kind)
    if template is not None:
        return template.title, template.body
    return default_title(kind), default_body(kind)


def generated_letters(*, person, access, limit: int = 30):
    """The letters of the person's record the user reads, the newest first (those deposited
    in error too: the page strikes them through)."""
    return (
        Document.objects.readable_with(access)
        .filter(person=person, kind=DocumentKind.LETTER, category=ADMINISTRATIVE)
        .order_by("-created_at", "-pk")[:limit]
    )


# --- Contracts --------------------------------------------------------------------------------


def contract_stay(*, person, user) -> Stay | None:
    """The person's current stay in one of the user's establishments: the stay whose contract
    the page shows."""
    return (
        Stay.objects.current(dates.today())
        .filter(person=person, establishment_id__in=assigned_establishment_ids(user))
        .select_related("establishment", "unit", "place")
        .order_by("-started_on", "-pk")
        .first()
    )


def contract_of(stay) -> Contract | None:
    return (
        Contract.objects.filter(stay=stay)
        .select_related("document", "signed_by_representative")
        .prefetch_related("amendments__document")
        .first()
    )


def contacts_who_may_sign(person):
    """The person's current contacts, among whom a representative signs."""
    return person.contacts.filter(entered_in_error=False, ended_on__isnull=True)


@dataclass
class Representative:
    name: str
    measure: str
    contact: object | None


def current_representative(person) -> Representative | None:
    """The legal representative of the current protection measure, if any."""
    today = dates.today()
    protection = (
        LegalProtection.objects.filter(person=person, entered_in_error=False, started_on__lte=today)
        .exclude(ended_on__lte=today)
        .select_related("representative_contact", "representative_partner")
        .order_by("-started_on", "-pk")
        .first()
    )
    if protection is None:
        return None
    contact = protection.representative_contact
    if contact is not None:
        name = f"{contact.first_name} {contact.last_name}".strip()
    elif protection.representative_partner is not None:
        name = str(protection.representative_partner)
    else:
        return None
    return Representative(name=name, measure=str(protection.get_kind_display()), contact=contact)


def contracts_overdue(*, establishment, persons=None, today=None):
    """Contracts of current stays not signed after their due date (due today: not yet late)."""
    today = today or dates.today(establishment)
    contracts = Contract.objects.filter(
        stay__in=Stay.objects.current(today).filter(establishment=establishment),
        signed_on__isnull=True,
        due_by__lt=today,
    ).select_related("stay__person", "stay__unit")
    if persons is not None:
        contracts = contracts.filter(stay__person__in=persons)
    return contracts.order_by("due_by", "pk")


# --- Admission and welcome (step 3) -----------------------------------------------------------

PERSONAL_PLAN_MONTHS = 6


def referent_candidates(establishment):
    """Professionals assigned today to the establishment (the possible referents of a stay)."""
    return (
        get_user_model()
        .objects.filter(
            pk__in=Assignment.objects.active().filter(establishment=establishment).values("user_id")
        )
        .select_related("profession")
        .order_by("last_name", "first_name", "pk")
    )


def personal_plan_due(stay) -> date:
    """The projet personnalisé is written within six months of the admission."""
    return dates.add_months(stay.started_on, PERSONAL_PLAN_MONTHS)


def welcome_stay(*, person, user, stay_id=None) -> Stay | None:
    """The stay whose welcome is shown: the one asked for, else the current stay in the user's
    establishments, else the next planned one, else the last one."""
    stays = Stay.objects.filter(
        person=person, establishment_id__in=assigned_establishment_ids(user)
    ).select_related("establishment", "unit", "place", "referent")
    if stay_id:
        return stays.filter(public_id=stay_id).first()
    today = dates.today()
    return (
        stays.current(today).order_by("-started_on", "-pk").first()
        or stays.filter(started_on__gt=today).order_by("started_on", "pk").first()
        or stays.order_by("-started_on", "-pk").first()
    )


@dataclass(frozen=True)
class ChecklistLine:
    item: str
    label: str
    done: WelcomeChecklistItem | None


def welcome_checklist(*, stay) -> list[ChecklistLine]:
    """Every item of the checklist, done or pending (one query)."""
    done = {
        i.item: i for i in WelcomeChecklistItem.objects.filter(stay=stay).select_related("done_by")
    }
    return [ChecklistLine(value, label, done.get(value)) for value, label in WelcomeItem.choices]
