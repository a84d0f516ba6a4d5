"""Reads of falls and wounds. The person is opened through the access layer by the views; the
unit list reads persons through `persons_visible_to`. Every read below runs a fixed number of
queries whatever the number of rows (DESIGN §4.9)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber

from dui.access.policy import persons_visible_to
from dui.assessments.instruments import get as instrument
from dui.assessments.models import Assessment, AssessmentStatus
from dui.core import dates
from dui.stays.models import Stay

from ..observations.charts import ChartPoint, measure_chart
from ..plan.models import CarePlanLine, CarePlanLineStatus, CareRecord
from . import rules
from .models import Fall, Wound, WoundAssessment, WoundCareLink, WoundPhoto

# The fall-risk instruments of the assessments brick (dui/assessments/instruments/falls.py).
FALL_RISK_INSTRUMENTS = ("chutes_has", "tug", "tinetti")
# A wound is reassessed at least weekly: an establishment default (the common EHPAD wound
# protocol; no national text sets the interval), not a regulation.
REASSESS_DAYS = 7
FALLS_PER_PAGE = 10
WOUNDS_PER_PAGE = 30
LAST_RECORDS_PER_LINE = 3


def person_falls(*, person):
    return (
        Fall.objects.filter(person=person)
        .select_related("created_by", "updated_by")
        .order_by("-occurred_at", "-pk")
    )


def falls_in_twelve_months(*, person, on=None, establishment=None) -> int:
    """The person's falls (not entered in error) over the last twelve calendar months (HAS/
    SFGG 2009 window, rules.py)."""
    on = on or dates.today(establishment)
    since = dates.start_of_day(rules.months_before(on, rules.REPEATED_FALLS_MONTHS), establishment)
    return Fall.objects.filter(
        person=person, entered_in_error=False, occurred_at__gte=since
    ).count()


@dataclass
class FallRisk:
    code: str
    short_name: str
    last: Assessment | None = None


def fall_risk(*, person, access) -> list[FallRisk]:
    """The last validated fall-risk assessment of each instrument (chutes_has, TUG, Tinetti),
    in the categories the user reads (one query)."""
    found = {
        a.instrument_code: a
        for a in Assessment.objects.filter(
            person=person,
            instrument_code__in=FALL_RISK_INSTRUMENTS,
            status=AssessmentStatus.VALIDATED,
            category__in=sorted(access.readable),
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("instrument_code")],
                order_by=[F("assessed_on").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .only("instrument_code", "assessed_on", "result_label", "score", "level", "public_id")
    }
    return [
        FallRisk(code, instrument(code).short_name, found.get(code))
        for code in FALL_RISK_INSTRUMENTS
    ]


def _last_assessment(field: str):
    return Subquery(
        WoundAssessment.objects.filter(wound=OuterRef("pk"), entered_in_error=False)
        .order_by("-assessed_at", "-pk")
        .values(field)[:1]
    )


def with_last_assessment(wounds):
    """Each wound annotated with its last assessment's moment, category and size."""
    return wounds.annotate(
        last_assessed_at=_last_assessment("assessed_at"),
        last_stage=_last_assessment("stage"),
        last_length_mm=_last_assessment("length_mm"),
        last_width_mm=_last_assessment("width_mm"),
    )


def person_wounds(*, person) -> dict:
    """The person's wounds: in progress, healed, entered in error (two queries)."""
    wounds = list(
        with_last_assessment(Wound.objects.filter(person=person)).order_by("-opened_on", "-pk")
    )
    return {
        "open_wounds": [w for w in wounds if not w.healed_on and not w.entered_in_error],
        "healed_wounds": [w for w in wounds if w.healed_on and not w.entered_in_error],
        "error_wounds": [w for w in wounds if w.entered_in_error],
    }


def is_overdue(last_assessed_at, *, now=None) -> bool:
    """Never assessed, or last assessed more than REASSESS_DAYS days ago."""
    now = now or dates.now()
    return last_assessed_at is None or now - last_assessed_at > timedelta(days=REASSESS_DAYS)


@dataclass
class LinkedLine:
    link: WoundCareLink
    line: CarePlanLine  # the version in force (or the last one)
    records: list = field(default_factory=list)


def linked_lines(*, wound) -> list[LinkedLine]:
    """The plan lines that treat the wound, each followed to its version in force, with their
    last records (three queries)."""
    links = list(
        WoundCareLink.objects.filter(wound=wound, ended_at__isnull=True).order_by("created_at")
    )
    if not links:
        return []
    lines = {
        line.pk: line
        for line in CarePlanLine.objects.filter(person_id=wound.person_id).select_related(
            "profession"
        )
    }
    replaced_by = {line.replaces_id: line.pk for line in lines.values() if line.replaces_id}
    chains: dict[int, list[int]] = {}
    result = []
    for link in links:
        chain, pk = [link.line_id], link.line_id
        while pk in replaced_by and replaced_by[pk] not in chain:
            pk = replaced_by[pk]
            chain.append(pk)
        chains[link.pk] = chain
        result.append(LinkedLine(link=link, line=lines[pk]))
    all_lines = {pk for chain in chains.values() for pk in chain}
    records = (
        CareRecord.objects.filter(task__line_id__in=all_lines, entered_in_error=False)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("task__line_id")],
                order_by=[F("performed_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=LAST_RECORDS_PER_LINE)
        .select_related("task", "created_by")
    )
    by_line: dict[int, list] = {}
    for record in records:
        by_line.setdefault(record.task.line_id, []).append(record)
    for item in result:
        found = [r for pk in chains[item.link.pk] for r in by_line.get(pk, [])]
        found.sort(key=lambda r: r.performed_at, reverse=True)
        item.records = found[:LAST_RECORDS_PER_LINE]
    return result


def active_plan_lines(*, person):
    return CarePlanLine.objects.filter(
        person=person, entered_in_error=False, status=CarePlanLineStatus.ACTIVE
    ).order_by("kind", "label")


def wound_detail(*, wound) -> dict:
    """The wound page: its assessments with their photos, the size curve, the linked care
    (a fixed number of queries)."""
    assessments = list(
        WoundAssessment.objects.filter(wound=wound)
        .select_related("created_by")
        .order_by("-assessed_at", "-pk")
    )
    photos: dict[int, list] = {}
    for photo in WoundPhoto.objects.filter(assessment__wound=wound).select_related("document"):
        photos.setdefault(photo.assessment_id, []).append(photo)
    for assessment in assessments:
        assessment.photo_list = photos.get(assessment.pk, [])
    valid = [a for a in assessments if not a.entered_in_error]
    return {
        "assessments": assessments,
        "last": valid[0] if valid else None,
        "overdue": not wound.healed_on and is_overdue(valid[0].assessed_at if valid else None),
        "chart": size_chart(wound=wound, assessments=valid),
        "linked": linked_lines(wound=wound),
    }


def size_chart(*, wound, assessments):
    """The wound's area (length × width, cm²) over time — server-rendered SVG like the
    measurement charts; None with fewer than two sized assessments."""
    points = [
        ChartPoint(
            dates.date_of(a.assessed_at, wound.establishment),
            a.area_cm2,
            label=f"{a.size_label} ({str(a.area_cm2).replace('.', ',')} cm²)",
        )
        for a in assessments
        if a.area_cm2 is not None
    ]
    if len(points) < 2:
        return None
    days = [p.on for p in points]
    return measure_chart(
        points,
        title="Surface de la plaie (longueur × largeur)",
        unit="cm²",
        chart_id="chart-wound-size",
        period=(min(days), max(days)),
    )


@dataclass
class OpenWoundRow:
    wound: Wound
    room: str
    overdue: bool


def unit_open_wounds(*, user, assignment):
    """« Plaies en cours »: wounds not healed of the persons this user sees in the
    establishment — of the unit's current stays when acting for a unit. A queryset (paged by
    the view); `rows_of` adds the rooms and the overdue flag."""
    wounds = Wound.objects.filter(
        establishment_id=assignment.establishment_id,
        healed_on__isnull=True,
        entered_in_error=False,
        person__in=persons_visible_to(user=user),
    )
    if assignment.unit_id:
        wounds = wounds.filter(
            person__in=Stay.objects.current(dates.today(assignment.establishment))
            .filter(unit_id=assignment.unit_id)
            .values("person_id")
        )
    return (
        with_last_assessment(wounds)
        .select_related("person")
        .order_by(F("last_assessed_at").asc(nulls_first=True), "person__birth_name", "pk")
    )


def rows_of(wounds, *, establishment) -> list[OpenWoundRow]:
    """The page's wounds with each person's room (one query) and the overdue flag."""
    wounds = list(wounds)
    rooms = dict(
        Stay.objects.current(dates.today(establishment))
        .filter(person_id__in={w.person_id for w in wounds}, establishment=establishment)
        .values_list("person_id", "place__label")
    )
    now = dates.now()
    return [
        OpenWoundRow(w, rooms.get(w.person_id) or "", is_overdue(w.last_assessed_at, now=now))
        for w in wounds
    ]
