"""Reads of the pathway: inquiries, applications and their file, the waiting list, letters,
contracts, the welcome checklist. Persons always come through `persons_visible_to` (one
subquery, no loop). Selectors only read: no journal line, no refusal, no HTTP request."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from dui.access.models import InformationCategory
from dui.access.policy import assigned_establishment_ids, persons_visible_to
from dui.accounts.models import Assignment
from dui.assessments.models import Assessment, AssessmentStatus
from dui.core import dates
from dui.documents.models import Document, DocumentKind
from dui.organisation.models import EstablishmentCategory
from dui.people.models import LegalProtection
from dui.stays.models import Stay

from .default_letters import default_body, default_title
from .models import (
    DEFAULT_WAITING_CRITERIA,
    AdmissionDecision,
    AdmissionInterview,
    AdmissionRequest,
    AdmissionSettings,
    AdmissionSource,
    AdmissionStatus,
    Contract,
    ContractAmendment,
    ContractSignatory,
    DecisionOutcome,
    EvaluationOpinion,
    Inquiry,
    InquiryStatus,
    LetterTemplate,
    OpinionKind,
    Orientation,
    OrientationKind,
    OrientationOverride,
    OrientationProblem,
    PieceKind,
    PriceList,
    PriceListLine,
    WaitingCriterion,
    WaitingListPolicy,
    WelcomeChecklistItem,
    WelcomeItem,
)
from .orientations import DISABILITY_CATEGORIES, fits, fitting_kinds
from .permissions import OPINION_CATEGORY
from .pipeline import OPEN_STATUSES, OPINION_STATUSES, allowed_next

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
# Open statuses in the order of the pipeline (the board's columns).
BOARD_STATUSES = [s for s in AdmissionStatus.values if s in OPEN_STATUSES]

# --- Inquiries (step 1) -----------------------------------------------------------------------


def open_inquiries(*, user, establishment):
    """Open inquiries of the establishment, the follow-up date first (none last). An inquiry
    about an existing person shows only if the user may see that person."""
    return (
        Inquiry.objects.filter(establishment=establishment, status=InquiryStatus.OPEN)
        .filter(Q(person__isnull=True) | _visible_person(user))
        .select_related("person")
        .order_by(F("follow_up_on").asc(nulls_last=True), "received_at", "pk")
    )


def visible_inquiry(*, user, establishment, inquiry_id):
    """One inquiry of the establishment the user may handle, or None."""
    return (
        Inquiry.objects.filter(establishment=establishment, public_id=inquiry_id)
        .filter(Q(person__isnull=True) | _visible_person(user))
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


def _visible_person(user) -> Exists:
    """The row's person is one the user may see: checked per row (EXISTS on the person's key),
    not `person IN (every visible person)`, which makes the database read the access rule of
    every person first."""
    return Exists(persons_visible_to(user=user).filter(pk=OuterRef("person_id")))


def visible_applications(*, user, establishment):
    return AdmissionRequest.objects.filter(establishment=establishment).filter(
        _visible_person(user)
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
    rows += [{"kind": p.kind, "label": p.label, "piece": p} for p in pieces]
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


@dataclass(frozen=True)
class OpinionConclusion:
    """An opinion's conclusion without its content. The conclusion (favorable, réservé,
    défavorable) is what the admission committee decides on: it is administrative. The
    content stays in the opinion's category (medical, social), read by those who read it."""

    kind: str
    kind_label: str
    value: str
    value_label: str
    author: str
    given_on: date


@dataclass
class ApplicationFile:
    """What the application page shows, read in a fixed number of queries."""

    events: list
    rows: list  # the pieces' checklist
    opinions: list  # the opinions of the categories the user reads, content included
    conclusions: list  # OpinionConclusion of the others, for those who read administrative data
    visits: list
    decisions: list
    orientation: object | None
    overrides: list  # OrientationOverride, the director's decisions to go on


def application_file(*, application, access) -> ApplicationFile:
    readable = {kind for kind, category in OPINION_CATEGORY.items() if access.can_read(category)}
    pieces = application.pieces.select_related("document").order_by("pk")
    conclusions = []
    if access.can_read(ADMINISTRATIVE):
        # The content is not even read from the database for these.
        conclusions = [
            OpinionConclusion(
                kind=opinion.kind,
                kind_label=str(OpinionKind(opinion.kind).label),
                value=opinion.value,
                value_label=str(opinion.get_value_display()),
                author=opinion.author.get_full_name() or opinion.author.username,
                given_on=opinion.given_on,
            )
            for opinion in application.opinions.exclude(kind__in=readable)
            .select_related("author")
            .only("kind", "value", "given_on", "author")
            .order_by("given_on", "pk")
        ]
    return ApplicationFile(
        events=list(application.events.select_related("by").order_by("at", "pk")),
        rows=checklist(application, pieces),
        opinions=list(application.opinions.select_related("author").filter(kind__in=readable)),
        conclusions=conclusions,
        visits=list(application.visits.order_by("planned_at")),
        decisions=list(application.decisions.select_related("decided_by", "mdph_notice")),
        orientation=application.person.orientations.order_by("-valid_to", "-pk").first(),
        overrides=list(
            application.orientation_overrides.select_related("decided_by", "orientation")
        ),
    )


# --- The establishment's rules of admission ---------------------------------------------------

# No text requires a pre-admission visit. By default it is kept where the person comes to live:
# her consent to be hosted is sought (CASF L311-4) and she chooses where she lives (C. civ.
# 459-2) — the visit lets her see the place first. Services working at home or in ordinary
# settings, day care, the ESAT (a trial period serves there) and the emergency shelters (CHRS)
# do without it by default, as urgent and hospital admissions often must. The director changes
# it for the establishment (AdmissionSettings).
VISIT_OPTIONAL_BY_DEFAULT = frozenset(
    {
        EstablishmentCategory.SESSAD,
        EstablishmentCategory.SSIAD,
        EstablishmentCategory.SAVS,
        EstablishmentCategory.SAMSAH,
        EstablishmentCategory.ACCUEIL_DE_JOUR,
        EstablishmentCategory.ESAT,
        EstablishmentCategory.CHRS,
    }
)


def admission_settings(establishment) -> AdmissionSettings:
    """The establishment's rules of admission, or the defaults of its category (not saved,
    version 0)."""
    settings = AdmissionSettings.objects.filter(establishment=establishment).first()
    return settings or AdmissionSettings(
        establishment=establishment,
        visit_required=establishment.category not in VISIT_OPTIONAL_BY_DEFAULT,
        version=0,
    )


def visit_required(establishment) -> bool:
    return admission_settings(establishment).visit_required


def next_statuses(application, *, visit_is_required: bool | None = None) -> frozenset[str]:
    """Where the application may go now (`pipeline.allowed_next` with the establishment's
    rule on the visit)."""
    if visit_is_required is None:
        visit_is_required = visit_required(application.establishment)
    return allowed_next(application.status, visit_required=visit_is_required)


# --- EHPAD: the médecin coordonnateur's opinion -----------------------------------------------

# CASF D312-158 2°: in an EHPAD the médecin coordonnateur « donne un avis sur les admissions des
# personnes à accueillir en veillant notamment à la compatibilité de leur état de santé avec
# les capacités de soins de l'institution » (same wording in the 2007 and 2011 versions read;
# unchanged since: non vérifié). It is an opinion: the director decides, and may decide
# without it by writing why (post vacant, urgency) — the decision keeps the reason.
COORDINATOR_OPINION_CATEGORIES = frozenset({EstablishmentCategory.EHPAD})
COORDINATOR = "medecin_coordonnateur"


def needs_coordinator_opinion(application) -> bool:
    return application.establishment.category in COORDINATOR_OPINION_CATEGORIES


def coordinator_opinion(application):
    """The latest medical opinion given by a médecin coordonnateur, or None."""
    return (
        application.opinions.filter(kind=OpinionKind.MEDICAL, author_profession=COORDINATOR)
        .order_by("-given_on", "-pk")
        .first()
    )


# --- CDAPH orientation: does it fit the establishment? ----------------------------------------


@dataclass(frozen=True)
class OrientationCheck:
    """Whether the admission to this establishment rests on a valid CDAPH orientation of a
    fitting type on the day `on` (CASF L241-6; `orientations.ORIENTATION_FITS`).

    `problem` is empty when it does (or when the establishment admits without orientation);
    otherwise `message` says what is wrong in French, and `override` is the director's decision
    to go on despite it, if one was recorded for this same problem."""

    required: bool
    on: date
    problem: str = ""
    message: str = ""
    orientation: Orientation | None = None
    override: OrientationOverride | None = None

    @property
    def fits(self) -> bool:
        return not self.problem

    @property
    def blocking(self) -> bool:
        """A mismatch no override covers: acceptance and admission stop on it."""
        return bool(self.problem) and self.override is None


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def orientation_check(application, on: date) -> OrientationCheck:
    """The one answer to « may this application lead to an admission on `on` as far as the
    CDAPH orientation goes? », used by the acceptance, the admission and the application page
    (two queries)."""
    category = application.establishment.category
    if category not in DISABILITY_CATEGORIES:
        return OrientationCheck(required=False, on=on)
    expected = fitting_kinds(category)
    orientations = list(
        Orientation.objects.filter(person_id=application.person_id).order_by("-valid_to", "-pk")
    )
    valid = [o for o in orientations if o.covers(on)]
    fitting = [o for o in valid if fits(category, o.kind)]
    if fitting:
        return OrientationCheck(required=True, on=on, orientation=fitting[0])
    category_label = str(EstablishmentCategory(category).label)
    expected_labels = " ou ".join(f"« {OrientationKind(k).label} »" for k in sorted(expected))
    if not orientations:
        problem, orientation = OrientationProblem.NONE_RECORDED, None
        message = _(
            "Aucune orientation CDAPH n'est enregistrée pour cette personne : l'admission dans "
            "cet établissement (%(category)s) repose sur une décision d'orientation de la CDAPH "
            "(CASF L241-6)."
        ) % {"category": category_label}
    elif not valid:
        orientation = orientations[0]
        problem = OrientationProblem.NOT_VALID
        message = _(
            "Aucune orientation CDAPH n'est valable le %(on)s : la dernière (« %(label)s ») vaut "
            "du %(start)s au %(end)s."
        ) % {
            "on": _day(on),
            "label": orientation.label,
            "start": _day(orientation.valid_from),
            "end": _day(orientation.valid_to),
        }
    elif untyped := [o for o in valid if not o.kind]:
        orientation = untyped[0]
        problem = OrientationProblem.UNKNOWN_KIND
        message = _(
            "Le type de l'orientation CDAPH « %(label)s » n'est pas précisé : enregistrez la "
            "décision avec son type (attendu pour cet établissement, %(category)s : %(expected)s)."
        ) % {"label": orientation.label, "category": category_label, "expected": expected_labels}
    else:
        orientation = valid[0]
        problem = OrientationProblem.OTHER_KIND
        message = _(
            "L'orientation CDAPH valable le %(on)s est « %(label)s » : elle ne correspond pas à "
            "cet établissement (%(category)s ; attendu : %(expected)s)."
        ) % {
            "on": _day(on),
            "label": orientation.label,
            "category": category_label,
            "expected": expected_labels,
        }
    override = (
        OrientationOverride.objects.filter(
            application=application, problem=problem, orientation=orientation
        )
        .select_related("decided_by")
        .order_by("-created_at", "-pk")
        .first()
    )
    return OrientationCheck(
        required=True,
        on=on,
        problem=problem,
        message=message,
        orientation=orientation,
        override=override,
    )


def acceptance_day(application, decided_on: date) -> date:
    """The day an acceptance is checked for: the wished entry if known, else the decision's."""
    return application.wished_start or decided_on


# --- The notice to the MDPH -------------------------------------------------------------------

# CASF R146-36: the establishments designated by the CDAPH « informent la maison départementale
# des personnes handicapées […] de la suite réservée aux désignations », within fifteen days of
# their answer to the person, with their available capacity and the number of persons waiting
# (read in the 2016–2017 etalab snapshot; same duty for the IME in D312-59-14). The fifteen
# days are counted from the decision (a cautious choice: the answer to the person is sent on or
# after that day).
MDPH_NOTICE_DAYS = 15


def oriented_by_cdaph(application) -> bool:
    """The application is one the CDAPH's designation concerns: made to a disability
    establishment, from an MDPH orientation or by a person with a recorded orientation."""
    if application.establishment.category not in DISABILITY_CATEGORIES:
        return False
    return (
        application.source == AdmissionSource.MDPH
        or Orientation.objects.filter(person_id=application.person_id).exists()
    )


def mdph_notice_owed(decisions) -> AdmissionDecision | None:
    """The latest decision whose notice to the MDPH is owed and not yet generated."""
    owed = [d for d in decisions if d.mdph_notice_due_by and d.mdph_notice_id is None]
    return owed[-1] if owed else None


def waiting_count(establishment) -> int:
    return AdmissionRequest.objects.filter(
        establishment=establishment, status=AdmissionStatus.WAITING_LIST
    ).count()


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
    """The stay whose contract the page shows: the person's current stay in one of the user's
    establishments, else her next planned one (a future admission gets its contract before the
    entry day; its delays count from that day)."""
    today = dates.today()
    stays = (
        Stay.objects.not_ended(today)
        .filter(person=person, establishment_id__in=assigned_establishment_ids(user))
        .select_related("establishment", "unit", "place")
    )
    return (
        stays.current(today).order_by("-started_on", "-pk").first()
        or stays.planned(today).order_by("started_on", "pk").first()
    )


def contract_of(stay) -> Contract | None:
    return (
        Contract.objects.filter(stay=stay)
        .select_related("document", "director_signed_by", "stay")
        .prefetch_related(
            "amendments__document",
            Prefetch(
                "signatories",
                queryset=ContractSignatory.objects.select_related("contact", "partner"),
            ),
        )
        .first()
    )


def admission_interview_of(stay) -> AdmissionInterview | None:
    return (
        AdmissionInterview.objects.filter(stay=stay)
        .select_related("informed_by", "interview_by", "attestation_signed_by_representative")
        .first()
    )


# --- Price list ------------------------------------------------------------------------------


def price_list_in_force(establishment, on: date) -> PriceList | None:
    """The establishment's price list in force on `on` (periods never overlap)."""
    return (
        PriceList.objects.filter(establishment=establishment, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .prefetch_related("lines")
        .first()
    )


def price_lines_in_force(establishment, on: date):
    """The lines of the price list in force on `on` (none without a list)."""
    return PriceListLine.objects.filter(
        price_list__in=PriceList.objects.filter(establishment=establishment, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .values("pk")
    ).order_by("position", "pk")


def price_lists_of(establishment):
    """Every price list of the establishment, the newest first, with its lines."""
    return (
        PriceList.objects.filter(establishment=establishment)
        .prefetch_related("lines")
        .order_by("-valid_from", "-pk")
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
    """Contracts of current and planned stays with a delay past (a delay due today is not late
    yet): not handed over within 15 days of the entry, not signed within the month (a DIPC: not
    signed by the director within 15 days), no avenant on objectives and services within six
    months, or none in the last year (CASF D311 III, V; `contract_terms.contract_deadlines`
    says the same of one contract). Delays count from the entry day."""
    from .contract_terms import DELIVERY_DAYS, OBJECTIVES_MONTHS, OBJECTIVES_UPDATE_MONTHS

    today = today or dates.today(establishment)
    delivery_limit = today - timedelta(days=DELIVERY_DAYS)
    objectives = ContractAmendment.objects.filter(contract=OuterRef("pk"), sets_objectives=True)
    contracts = (
        Contract.objects.filter(
            stay__in=Stay.objects.not_ended(today).filter(establishment=establishment)
        )
        .annotate(
            has_objectives=Exists(objectives),
            last_objectives_on=Subquery(
                objectives.order_by("-effective_on").values("effective_on")[:1]
            ),
        )
        .filter(
            Q(delivered_on__isnull=True, stay__started_on__lt=delivery_limit)
            | (~Q(kind="dipc") & Q(signed_on__isnull=True, due_by__lt=today))
            | Q(kind="dipc", director_signed_on__isnull=True, stay__started_on__lt=delivery_limit)
            | Q(
                has_objectives=False,
                stay__started_on__lt=dates.add_months(today, -OBJECTIVES_MONTHS),
            )
            | Q(last_objectives_on__lt=dates.add_months(today, -OBJECTIVES_UPDATE_MONTHS))
        )
        .select_related("stay__person", "stay__unit")
        .prefetch_related("amendments")
    )
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
    undone: tuple = ()  # ticks undone, newest first: the item keeps its history


def welcome_checklist(*, stay) -> list[ChecklistLine]:
    """Every item of the checklist, done or pending, with its ticks undone (one query)."""
    done, undone = {}, {}
    for entry in (
        WelcomeChecklistItem.objects.filter(stay=stay)
        .select_related("done_by", "undone_by")
        .order_by("-created_at", "-pk")
    ):
        if entry.undone_on is None:
            done[entry.item] = entry
        else:
            undone.setdefault(entry.item, []).append(entry)
    return [
        ChecklistLine(value, label, done.get(value), tuple(undone.get(value, ())))
        for value, label in WelcomeItem.choices
    ]


def welcome_item_done(*, stay, item: str) -> WelcomeChecklistItem | None:
    """The tick in force of one item, if any."""
    return WelcomeChecklistItem.objects.filter(stay=stay, item=item, undone_on__isnull=True).first()


# --- « Ma journée » (issue 12): what waits for the secretariat, the direction, the médecin ----

HOME_CONTRACTS_SIZE = 20


def contracts_to_hand_over_or_sign(*, establishment, persons, today=None):
    """Contracts not signed yet, of stays under way or about to begin in the establishment,
    for these persons: those not handed over first, then by the day they must be signed by
    (CASF L311-4: the contract is handed over within fifteen days of the admission and signed
    within the month). Reads only `delivered_on`, `signed_on` and `due_by`.

    The persons are checked per contract (a correlated EXISTS on the person's key), not as
    `person IN (persons)`: with the latter, SQLite walked every person of the access rule
    before the few unsigned contracts (115 ms on 5,000 persons for no row at all)."""
    today = today or dates.today(establishment)
    stays = Stay.objects.not_ended(today).filter(establishment=establishment)
    return (
        Contract.objects.filter(stay__in=stays, signed_on__isnull=True)
        .filter(Exists(persons.filter(pk=OuterRef("stay__person_id"))))
        .select_related("stay__person")
        .order_by(F("delivered_on").asc(nulls_first=True), "due_by", "pk")
    )


def inquiries_to_follow_up(*, user, establishment, today=None):
    """Open inquiries whose follow-up day has come (the « À relancer » list's first rows)."""
    today = today or dates.today(establishment)
    return open_inquiries(user=user, establishment=establishment).filter(follow_up_on__lte=today)


def decision_statuses(establishment) -> frozenset[str]:
    """Statuses from which the direction accepts or refuses (`pipeline.allowed_next`)."""
    required = visit_required(establishment)
    return frozenset(
        s
        for s in OPEN_STATUSES
        if AdmissionStatus.ACCEPTED in allowed_next(s, visit_required=required)
    )


def opinions_awaited_from_coordinator(*, user, establishment):
    """Applications under evaluation in an EHPAD without the médecin coordonnateur's medical
    opinion yet (arrêté du 5 septembre 2011, `COORDINATOR_OPINION_CATEGORIES`)."""
    if establishment.category not in COORDINATOR_OPINION_CATEGORIES:
        return AdmissionRequest.objects.none()
    given = EvaluationOpinion.objects.filter(
        application=OuterRef("pk"), kind=OpinionKind.MEDICAL, author_profession=COORDINATOR
    )
    return (
        visible_applications(user=user, establishment=establishment)
        .filter(status__in=OPINION_STATUSES)
        .exclude(Exists(given))
    )
