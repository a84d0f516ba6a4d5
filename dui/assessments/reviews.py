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

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.db import DEFAULT_DB_ALIAS
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import ngettext

from dui.access.models import CareTeamMembership, MembershipReason
from dui.access.policy import persons_visible_to, reading_assignments
from dui.access.policy import user_rights_in as rights_in_establishment
from dui.core import dates
from dui.people.models import DISPLAY_NAME_FIELDS, Person
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


def _entry_annotations(*, establishment, memberships, on: date) -> dict:
    """Annotations of a person query: the start of the stay under way that day
    (`Stay.objects.current`) and the care team's first day (one index lookup each)."""
    return {
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


def _last_assessment_annotations(*, instruments, rules, on: date) -> dict:
    """Annotations of a person query: per instrument the date of the last validated
    assessment on or before `on` (and its level when the schedule has a shorter interval for
    persons at risk), one index lookup each
    (`assessment_person_instr_idx`), in the same query as the persons."""
    annotations = {}
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


def _last_of(values: dict, instruments) -> dict[str, tuple]:
    """{code: (last date, last level)} of the annotated values."""
    return {
        instrument.code: (values[f"last_on_{index}"], values.get(f"last_level_{index}") or "")
        for index, instrument in enumerate(instruments)
        if values[f"last_on_{index}"] is not None
    }


def _admitted_on(values: dict, establishment):
    """The entry date: the current stay's start; without a stay, the day (in the
    establishment's zone) the care team began."""
    if values["stay_started_on"]:
        return values["stay_started_on"]
    if values["team_since"]:
        return dates.date_of(values["team_since"], establishment)
    return None


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


def _team_entries(
    *, user, unit, establishment, on, instruments, rules, person_ids=None, person_fields=()
) -> list[tuple[dict, date | None, dict]]:
    """(person values, entry date, {code: (last date, last level)}) of every person the user
    sees with a current care-team membership in `unit` (else in `establishment`), ordered by
    name: one query whatever the number of persons — the persons with their entry dates
    (values: `pk` and `person_fields`) and, per instrument, the last validated assessment."""
    at = _moment(on, establishment)
    memberships = _current_memberships(establishment=establishment, unit=unit, at=at)
    persons = persons_visible_to(user=user, at=at).filter(
        merged_into__isnull=True, pk__in=memberships.values("person_id")
    )
    if person_ids is not None:
        persons = persons.filter(pk__in=list(person_ids))
    annotations = {
        **_entry_annotations(establishment=establishment, memberships=memberships, on=on),
        **_last_assessment_annotations(instruments=instruments, rules=rules, on=on),
    }
    rows = (
        persons.annotate(**annotations)
        .order_by("birth_name", "first_names", "pk")
        .values("pk", *annotations, *person_fields)
    )
    return [
        (values, _admitted_on(values, establishment), _last_of(values, instruments))
        for values in rows
    ]


def _person_of(values: dict):
    """A Person of the due list's fields (the others deferred, as `.only()` would)."""
    fields = {"id", *PERSON_FIELDS}
    row = {"id": values["pk"], **values}
    concrete = [f.attname for f in Person._meta.concrete_fields if f.attname in fields]
    return Person.from_db(DEFAULT_DB_ALIAS, concrete, [row[name] for name in concrete])


@dataclass
class DueSet:
    """What is due in a unit (or establishment) for a user on a day, computed once (one
    query, see `_team_entries`) and read as items, counts or per-person lists."""

    entries: list
    instruments: list
    rules: dict
    on: date

    def items(self, horizon_days: int | None = DUE_SOON_DAYS, person_ids=None) -> list[DueItem]:
        """DueItems whose `person` is the person's values (pk, name fields)."""
        entries = self.entries
        if person_ids is not None:
            wanted = set(person_ids)
            entries = [e for e in entries if e[0]["pk"] in wanted]
        return _items(entries, self.instruments, self.rules, self.on, horizon_days)

    def counts(self) -> tuple[int, int]:
        """(overdue, due within `DUE_SOON_DAYS` and not overdue)."""
        items = self.items()
        late = sum(1 for item in items if item.overdue)
        return late, len(items) - late


def due_set(
    *,
    user,
    unit=None,
    establishment=None,
    on: date | None = None,
    review_rules=None,
    person_ids=None,
) -> DueSet:
    """The persons the user sees with a current care-team membership in `unit` (of
    `establishment`) or in the whole `establishment` (`person_ids`: only these), and for
    each, per scheduled instrument whose information category the user reads, the last
    validated assessment. One query (plus the ReviewRule rows unless `review_rules` are
    given, and the user's rights when not yet cached for the request)."""
    if establishment is None and unit is not None:
        establishment = unit.establishment
    if establishment is None:
        raise ValueError("due_assessments needs a unit or an establishment")
    on = on or dates.today(establishment)
    rules = rules_for(establishment, _review_rules(establishment, review_rules))
    instruments = _readable_instruments(user, establishment, rules) if rules else []
    entries = []
    if instruments:
        entries = _team_entries(
            user=user,
            unit=unit,
            establishment=establishment,
            on=on,
            instruments=instruments,
            rules=rules,
            person_ids=person_ids,
            person_fields=PERSON_FIELDS,
        )
    return DueSet(entries=entries, instruments=instruments, rules=rules, on=on)


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

    One query whatever the number of persons (`due_set`); each item's `person` is a Person
    with its public id and name only (the other fields deferred)."""
    found = due_set(
        user=user,
        unit=unit,
        establishment=establishment,
        on=on,
        review_rules=review_rules,
        person_ids=person_ids,
    ).items(horizon_days)
    persons: dict[int, object] = {}
    return [
        replace(item, person=persons.setdefault(item.person["pk"], _person_of(item.person)))
        for item in found
    ]


def due_counts(
    *, user, unit=None, establishment=None, on: date | None = None, review_rules=None
) -> tuple[int, int]:
    """(overdue, due within `DUE_SOON_DAYS` and not overdue): the counts of
    `due_assessments` (one query, see `due_set`)."""
    return due_set(
        user=user, unit=unit, establishment=establishment, on=on, review_rules=review_rules
    ).counts()


def person_due_assessments(*, person, access, on: date | None = None) -> list[DueItem]:
    """What is due for one opened person, in the establishment the user acts in for them: the
    establishment's ReviewRule rows (1 query) and, when an instrument is scheduled and
    readable, the care team's first day, the current stay's start and the person's last
    validated assessments (3 plain queries: for one person they cost less to build than one
    query of correlated sub-queries). At most 4 queries; 1 when nothing is due here."""
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
    team_since = (
        _current_memberships(establishment=establishment, unit=None, at=_moment(on, establishment))
        .filter(person=person)
        .order_by("valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    if team_since is None:
        # Not (or no longer) in this establishment's care: nothing is due here.
        return []
    values = {
        "team_since": team_since,
        "stay_started_on": Stay.objects.current(on)
        .filter(person=person, establishment=establishment)
        .order_by("-started_on")
        .values_list("started_on", flat=True)
        .first(),
    }
    last: dict[str, tuple] = {}
    for code, assessed_on, level in (
        Assessment.objects.filter(
            person=person,
            instrument_code__in=[i.code for i in instruments],
            status=AssessmentStatus.VALIDATED,
            assessed_on__lte=on,
        )
        .order_by("-assessed_on", "-pk")
        .values_list("instrument_code", "assessed_on", "level")
    ):
        last.setdefault(code, (assessed_on, level or ""))
    entry = (person, _admitted_on(values, establishment), last)
    return _items([entry], instruments, rules, on, horizon_days=None)


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
    "due_set",
    "overdue_badges",
    "person_due_assessments",
    "rules_for",
]
