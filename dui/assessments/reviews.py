"""Re-evaluations due: when each person's next assessment of an instrument is due.

A schedule says, per instrument, how long after the admission the first assessment is due and
how often it is redone. `DEFAULT_RULES` are the national texts and recommendations (or, where
none fixes a delay, a convention of the DUI that says so); an establishment replaces them with
`ReviewRule` rows. An instrument without a schedule (the pain scales among others: they are
filled when a care note flags pain) is never "due".

Reads go through the access layer: the persons are those of `persons_visible_to(user=…)` with a
current care-team membership in the unit (or establishment), and only instruments whose
information category the user reads in that establishment are listed. The number of queries
does not depend on the number of persons (see `due_assessments`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import ngettext

from dui.access.models import CareTeamMembership, MembershipReason
from dui.access.policy import persons_visible_to, reading_assignments
from dui.access.policy import user_rights_in as rights_in_establishment
from dui.core import dates
from dui.people.models import DISPLAY_NAME_FIELDS
from dui.people.record import Badge
from dui.stays.models import Stay

from .instruments import get
from .models import Assessment, AssessmentStatus, ReviewRule

# Results whose level says "at risk": the shorter interval applies (see Schedule).
AT_RISK_LEVELS = frozenset({"warn", "danger"})
# The list shows what is overdue and what falls due within this many days.
DUE_SOON_DAYS = 30

ELDERLY_ESTABLISHMENTS = frozenset({"ehpad", "residence_autonomie"})
EHPAD = frozenset({"ehpad"})


@dataclass(frozen=True)
class Schedule:
    """How an instrument is (re)assessed in an establishment.

    - `interval_days`: days between two assessments; 0: no periodic re-evaluation.
    - `at_admission_days`: the first assessment is due that many days after the entry; None:
      one interval after the entry.
    - `at_risk_interval_days`: shorter interval when the last validated result is at risk
      (its level is warn or danger), e.g. MNA-SF "à risque" or "dénutrition".
    - `establishment_categories`: the default applies only there (None: everywhere); an
      establishment elsewhere that wants it adds a ReviewRule.
    """

    interval_days: int
    at_admission_days: int | None = None
    at_risk_interval_days: int | None = None
    establishment_categories: frozenset[str] | None = None
    source: str = ""

    @property
    def scheduled(self) -> bool:
        return bool(self.interval_days) or self.at_admission_days is not None

    def interval_after(self, level: str) -> int:
        if self.at_risk_interval_days and level in AT_RISK_LEVELS:
            if self.interval_days:
                return min(self.interval_days, self.at_risk_interval_days)
            return self.at_risk_interval_days
        return self.interval_days

    def due_on(self, *, last_on: date | None, last_level: str, admitted_on: date | None, on: date):
        """The date the next assessment is due, or None when none is scheduled."""
        if last_on is not None:
            interval = self.interval_after(last_level)
            return last_on + timedelta(days=interval) if interval else None
        if admitted_on is None:
            # Entry date unknown: due now, not late.
            return on if self.scheduled else None
        if self.at_admission_days is not None:
            return admitted_on + timedelta(days=self.at_admission_days)
        return admitted_on + timedelta(days=self.interval_days) if self.interval_days else None


DEFAULT_RULES: dict[str, Schedule] = {
    # The GIR of each resident is evaluated and validated by the médecin coordonnateur (CASF
    # art. D312-158 4°; art. R232-18 and R314-170 to R314-170-7), the geriatric evaluation being
    # made "à l'entrée du résident puis en tant que de besoin" (D312-158 6°, décret 2019-714);
    # the establishment's GMP is established every year (art. R314-171: "établie entre le
    # 1er janvier et le 30 septembre de l'année"), and the conventions tripartites required at
    # least a yearly revision of each resident's GIR. Hence: within 30 days of the entry (the
    # 30 days are the DUI's convention: the texts say "à l'entrée"), then every 365 days.
    "aggir": Schedule(
        interval_days=365,
        at_admission_days=30,
        establishment_categories=ELDERLY_ESTABLISHMENTS,
        source="CASF art. D312-158, R232-18, R314-170 et R314-171",
    ),
    # Undernutrition screening: on entry into an institution, then monthly for persons at risk
    # (HAS 2007, « Stratégie de prise en charge en cas de dénutrition protéino-énergétique chez
    # la personne âgée »: dépistage « à l'entrée puis au moins une fois par mois en
    # institution »); HAS/FFN 2021 « Diagnostic de la dénutrition chez la personne de 70 ans et
    # plus » keeps the regular weighing and re-evaluation of the nutritional status. The monthly
    # weight is an observation of the care brick; a new MNA-SF is due monthly after an
    # "à risque"/"dénutrition" result, yearly otherwise (DUI convention).
    "mna_sf": Schedule(
        interval_days=365,
        at_admission_days=7,
        at_risk_interval_days=30,
        establishment_categories=EHPAD,
        source="HAS 2007 (dénutrition de la personne âgée) ; HAS/FFN 2021",
    ),
    # Pressure-ulcer risk: the ANAES consensus conference (2001, « Prévention et traitement des
    # escarres de l'adulte et du sujet âgé ») asks for an evaluation on admission and a regular
    # re-evaluation without fixing a delay: every 90 days is the establishment's convention
    # (to be adapted with a ReviewRule).
    "braden": Schedule(
        interval_days=90,
        at_admission_days=7,
        establishment_categories=EHPAD,
        source="Règle d'établissement (conférence de consensus ANAES 2001 : à l'admission puis "
        "régulièrement)",
    ),
    # Pain scales are not scheduled (interval 0): they are filled when pain is suspected or a
    # care note flags it. Any instrument absent from this table is not scheduled either.
    "eva": Schedule(interval_days=0, source="Sur signe d'appel"),
    "en": Schedule(interval_days=0, source="Sur signe d'appel"),
    "algoplus": Schedule(interval_days=0, source="Sur signe d'appel"),
    "doloplus2": Schedule(interval_days=0, source="Sur signe d'appel"),
}


def rules_for(establishment, overrides=()) -> dict[str, Schedule]:
    """The schedules in force in an establishment: the defaults that apply to its category,
    replaced instrument by instrument by its ReviewRule rows (`overrides`). An override keeps
    the default's shorter "at risk" interval (never longer than its own interval)."""
    rules = {
        code: schedule
        for code, schedule in DEFAULT_RULES.items()
        if schedule.establishment_categories is None
        or establishment.category in schedule.establishment_categories
    }
    for rule in overrides:
        default = DEFAULT_RULES.get(rule.instrument_code)
        rules[rule.instrument_code] = Schedule(
            interval_days=rule.interval_days,
            at_admission_days=rule.at_admission_days,
            at_risk_interval_days=default.at_risk_interval_days if default else None,
            source="Règle de l'établissement",
        )
    return {code: schedule for code, schedule in rules.items() if schedule.scheduled}


@dataclass(frozen=True)
class DueItem:
    person: object
    instrument: object
    last_assessed_on: date | None
    due_on: date
    overdue: bool
    days_late: int
    at_risk: bool = False

    @property
    def never_assessed(self) -> bool:
        return self.last_assessed_on is None


def _review_rules(establishment, review_rules=None):
    """The establishment's ReviewRule rows: those given (already read), else a query."""
    if review_rules is not None:
        return review_rules
    return ReviewRule.objects.filter(establishment=establishment)


def _moment(on: date, establishment) -> datetime:
    """The instant memberships are read at: now for today (or a day to come), the last moment
    of that day in the establishment's zone for a past day."""
    if on >= dates.today(establishment):
        return dates.now()
    return dates.start_of_day(on + timedelta(days=1), establishment) - timedelta(microseconds=1)


def _current_memberships(*, establishment, unit, at: datetime):
    memberships = CareTeamMembership.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=at),
        valid_from__lte=at,
        establishment=establishment,
    ).exclude(reason=MembershipReason.APPLICATION)
    if unit is not None:
        memberships = memberships.filter(unit=unit)
    return memberships


def user_rights_in(user, establishment) -> dict[str, tuple[bool, bool]]:
    """{category: (read, write)} of the user's profession in this establishment, from the
    access layer's per-request cache (filled along with the user's assignments): no query
    once `persons_visible_to` or `person_access` ran for the request."""
    reading_assignments(user)
    return rights_in_establishment(user, establishment.pk)


def _readable_instruments(user, establishment, rules: dict[str, Schedule]) -> list:
    """Scheduled instruments whose category the user reads in this establishment."""
    rights = user_rights_in(user, establishment)
    instruments = []
    for code in sorted(rules):
        instrument = get(code)
        if instrument is not None and rights.get(instrument.category, (False, False))[0]:
            instruments.append(instrument)
    return instruments


# What the due list shows of a person (display_name, link): nothing else is loaded.
PERSON_FIELDS = ("public_id", *DISPLAY_NAME_FIELDS)


def _dates_and_last_assessments(*, establishment, memberships, instruments, rules, on: date):
    """Annotations of a person query: the current stay's start, the care team's first day,
    and per instrument the date of the last validated assessment (and its level when the
    schedule has a shorter interval for persons at risk) — one index lookup each, in the same
    query as the persons. The stay is the one under way that day (`Stay.objects.current`)."""
    annotations = {
        "stay_started_on": Subquery(
            Stay.objects.current(on)
            .filter(person=OuterRef("pk"), establishment=establishment)
            .order_by("-started_on")
            .values("started_on")[:1]
        ),
        "team_since": Subquery(
            memberships.filter(person=OuterRef("pk"))
            .order_by("valid_from")
            .values("valid_from")[:1]
        ),
    }
    for index, instrument in enumerate(instruments):
        last = Assessment.objects.filter(
            person=OuterRef("pk"),
            instrument_code=instrument.code,
            status=AssessmentStatus.VALIDATED,
            assessed_on__lte=on,
        ).order_by("-assessed_on", "-pk")
        annotations[f"last_on_{index}"] = Subquery(last.values("assessed_on")[:1])
        if rules[instrument.code].at_risk_interval_days:
            annotations[f"last_level_{index}"] = Subquery(last.values("level")[:1])
    return annotations


def _entry(person, values: dict, instruments, establishment):
    """(person, entry date, {code: (last date, last level)}) from the annotated values. Without
    a stay, the entry is the day (in the establishment's zone) the care team began."""
    if values["stay_started_on"]:
        admitted_on = values["stay_started_on"]
    elif values["team_since"]:
        admitted_on = dates.date_of(values["team_since"], establishment)
    else:
        admitted_on = None
    last = {
        instrument.code: (values[f"last_on_{index}"], values.get(f"last_level_{index}") or "")
        for index, instrument in enumerate(instruments)
        if values[f"last_on_{index}"] is not None
    }
    return person, admitted_on, last


def _items(entries, instruments, rules, on: date, horizon_days: int | None):
    """DueItems of (person, entry date, last assessments) triples, sorted: overdue first (the
    latest first), then by due date, persons keeping their order for the same day."""
    items = []
    limit = on + timedelta(days=horizon_days) if horizon_days is not None else None
    for position, (person, admitted_on, last) in enumerate(entries):
        for instrument in instruments:
            schedule = rules[instrument.code]
            last_on, level = last.get(instrument.code, (None, ""))
            due_on = schedule.due_on(
                last_on=last_on, last_level=level, admitted_on=admitted_on, on=on
            )
            if due_on is None or (limit is not None and due_on > limit):
                continue
            late = dates.days_between(due_on, on)
            item = DueItem(
                person=person,
                instrument=instrument,
                last_assessed_on=last_on,
                due_on=due_on,
                overdue=late > 0,
                days_late=max(0, late),
                at_risk=bool(last_on and schedule.at_risk_interval_days)
                and level in AT_RISK_LEVELS,
            )
            items.append((position, item))
    items.sort(key=lambda p: (not p[1].overdue, -p[1].days_late, p[1].due_on, p[0]))
    return [item for _position, item in items]


def due_assessments(
    *,
    user,
    unit=None,
    establishment=None,
    on: date | None = None,
    horizon_days: int | None = DUE_SOON_DAYS,
    person_ids=None,
    review_rules=None,
) -> list[DueItem]:
    """Assessments overdue or due within `horizon_days` (None: whatever the date) for the
    persons the user sees with a current care-team membership in `unit` (of `establishment`)
    or in the whole `establishment`, overdue first (the latest first), then by due date.

    Two queries whatever the number of persons: the establishment's ReviewRule rows, then the
    persons (through `persons_visible_to`) each with the start of the current stay and, per
    instrument, the date (and level) of the last validated assessment as index lookups — plus,
    when not yet cached for the request, the user's assignments, profession and rights.
    `person_ids`: only these persons (the day list's), else every person of the team;
    `review_rules`: the establishment's ReviewRule rows when already read (one query less)."""
    if establishment is None and unit is not None:
        establishment = unit.establishment
    if establishment is None:
        raise ValueError("due_assessments needs a unit or an establishment")
    on = on or dates.today(establishment)
    rules = rules_for(establishment, _review_rules(establishment, review_rules))
    if not rules:
        return []
    instruments = _readable_instruments(user, establishment, rules)
    if not instruments:
        return []
    at = _moment(on, establishment)
    memberships = _current_memberships(establishment=establishment, unit=unit, at=at)
    annotations = _dates_and_last_assessments(
        establishment=establishment,
        memberships=memberships,
        instruments=instruments,
        rules=rules,
        on=on,
    )
    persons = (
        persons_visible_to(user=user, at=at)
        .filter(merged_into__isnull=True, pk__in=memberships.values("person_id"))
        .only(*PERSON_FIELDS)
        .annotate(**annotations)
        .order_by("birth_name", "first_names", "pk")
    )
    if person_ids is not None:
        persons = persons.filter(pk__in=list(person_ids))
    entries = [_entry(p, p.__dict__, instruments, establishment) for p in persons]
    return _items(entries, instruments, rules, on, horizon_days)


def _due_conditions(schedule: Schedule, index: int, *, on: date, limit: date, establishment):
    """(late, due by `limit`) of one instrument as conditions on the annotations of
    `_dates_and_last_assessments`, the due date compared with dates computed here: the same
    rule as `Schedule.due_on` and `_items` (late: due before `on`), without date arithmetic in
    SQL. The entry without a stay is the care team's first day in the establishment's zone:
    `date_of(team_since) < day` is `team_since < start_of_day(day)`."""
    last_on = f"last_on_{index}"
    late, due = Q(pk__in=[]), Q(pk__in=[])
    # Assessed already: due one interval (the shorter one after a result at risk) later.
    intervals = [(Q(), schedule.interval_days)]
    if schedule.at_risk_interval_days:
        at_risk = Q(**{f"last_level_{index}__in": sorted(AT_RISK_LEVELS)})
        intervals = [
            (at_risk, schedule.interval_after(min(AT_RISK_LEVELS))),
            (~at_risk | Q(**{f"last_level_{index}__isnull": True}), schedule.interval_days),
        ]
    for level, interval in intervals:
        if interval:
            assessed = Q(**{f"{last_on}__isnull": False}) & level
            late |= assessed & Q(**{f"{last_on}__lt": on - timedelta(days=interval)})
            due |= assessed & Q(**{f"{last_on}__lte": limit - timedelta(days=interval)})
    never = Q(**{f"{last_on}__isnull": True})
    # Never assessed, entry unknown: due today, not late.
    due |= never & Q(stay_started_on__isnull=True, team_since__isnull=True)
    # Never assessed: due `at_admission_days` (else one interval) after the entry.
    delay = (
        schedule.at_admission_days
        if schedule.at_admission_days is not None
        else schedule.interval_days or None
    )
    if delay is not None:
        late_before, due_until = on - timedelta(days=delay), limit - timedelta(days=delay)
        with_stay = never & Q(stay_started_on__isnull=False)
        without_stay = never & Q(stay_started_on__isnull=True, team_since__isnull=False)
        late |= with_stay & Q(stay_started_on__lt=late_before)
        due |= with_stay & Q(stay_started_on__lte=due_until)
        late |= without_stay & Q(team_since__lt=dates.start_of_day(late_before, establishment))
        due |= without_stay & Q(
            team_since__lt=dates.start_of_day(due_until + timedelta(days=1), establishment)
        )
    return late, due


def due_counts(
    *, user, unit=None, establishment=None, on: date | None = None, review_rules=None
) -> tuple[int, int]:
    """(overdue, due within `DUE_SOON_DAYS` and not overdue): the counts of `due_assessments`
    for « Ma journée », counted by the database (one query over the same persons and
    annotations, plus the ReviewRule rows unless given) instead of building every item in
    Python."""
    if establishment is None and unit is not None:
        establishment = unit.establishment
    on = on or dates.today(establishment)
    rules = rules_for(establishment, _review_rules(establishment, review_rules))
    instruments = _readable_instruments(user, establishment, rules) if rules else []
    if not instruments:
        return 0, 0
    at = _moment(on, establishment)
    memberships = _current_memberships(establishment=establishment, unit=unit, at=at)
    annotations = _dates_and_last_assessments(
        establishment=establishment,
        memberships=memberships,
        instruments=instruments,
        rules=rules,
        on=on,
    )
    limit = on + timedelta(days=DUE_SOON_DAYS)
    counts = {}
    for index, instrument in enumerate(instruments):
        late, due = _due_conditions(
            rules[instrument.code], index, on=on, limit=limit, establishment=establishment
        )
        counts[f"late_{index}"] = Count("pk", filter=late)
        counts[f"due_{index}"] = Count("pk", filter=due)
    persons = (
        persons_visible_to(user=user, at=at)
        .filter(merged_into__isnull=True, pk__in=memberships.values("person_id"))
        .annotate(**annotations)
        .order_by()
        # DISTINCT (the persons are distinct anyway) makes Django count over a subquery that
        # computes each annotation once per person; without it every condition repeats the
        # correlated subqueries.
        .distinct()
    )
    totals = persons.aggregate(**counts)
    late = sum(totals[f"late_{i}"] or 0 for i in range(len(instruments)))
    due = sum(totals[f"due_{i}"] or 0 for i in range(len(instruments)))
    return late, due - late


def person_due_assessments(*, person, access, on: date | None = None) -> list[DueItem]:
    """What is due for one opened person, in the establishment the user acts in for them: the
    establishment's ReviewRule rows (1 query) and, when an instrument is scheduled and
    readable, the current stay's start and the last validated assessments (1 query). At most
    2 queries; 1 when nothing is scheduled or readable."""
    assignment = access.acting_assignment
    if assignment is None or not access.assignments:
        return []
    establishment = assignment.establishment
    on = on or dates.today(establishment)
    rules = rules_for(establishment, ReviewRule.objects.filter(establishment=establishment))
    instruments = [
        i for i in (get(code) for code in sorted(rules)) if i and access.can_read(i.category)
    ]
    if not instruments:
        return []
    memberships = _current_memberships(
        establishment=establishment, unit=None, at=_moment(on, establishment)
    )
    annotations = _dates_and_last_assessments(
        establishment=establishment,
        memberships=memberships,
        instruments=instruments,
        rules=rules,
        on=on,
    )
    values = (
        type(person)
        .objects.filter(pk=person.pk)
        .annotate(**annotations)
        .values(*annotations)
        .first()
    )
    if values is None or values["team_since"] is None:
        # Not (or no longer) in this establishment's care: nothing is due here.
        return []
    return _items(
        [_entry(person, values, instruments, establishment)],
        instruments,
        rules,
        on,
        horizon_days=None,
    )


def overdue_badges(person, access):
    """Header badge: "N évaluation(s) en retard" (warn), at most 2 queries (see
    `person_due_assessments`)."""
    late = [item for item in person_due_assessments(person=person, access=access) if item.overdue]
    if not late:
        return []
    names = ", ".join(sorted({item.instrument.short_name or item.instrument.name for item in late}))
    return [
        Badge(
            label=ngettext("%(n)d évaluation en retard", "%(n)d évaluations en retard", len(late))
            % {"n": len(late)},
            level="warn",
            title=names,
            url=reverse("assessments:list", kwargs={"person_id": person.public_id}),
        )
    ]


__all__ = [
    "DEFAULT_RULES",
    "DueItem",
    "Schedule",
    "due_assessments",
    "due_counts",
    "overdue_badges",
    "person_due_assessments",
    "rules_for",
]
