"""Reads of assessments, for a person already opened through the access layer."""

from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from dui.people.record import Badge

from .instruments import get
from .models import Assessment, AssessmentStatus


@dataclass
class InstrumentSummary:
    instrument: object
    last: Assessment | None
    drafts: list
    count: int


def assessments_page(*, person, access) -> list[InstrumentSummary]:
    """Per instrument the user may read: the last validated assessment, the drafts in progress
    and how many there are — three queries whatever the number of assessments."""
    readable = Assessment.objects.filter(
        person=person, category__in=sorted(access.readable)
    ).exclude(status=AssessmentStatus.ENTERED_IN_ERROR)
    counts = dict(
        readable.values_list("instrument_code")
        .annotate(n=Count("pk"))
        .values_list("instrument_code", "n")
    )
    last_validated = (
        readable.filter(status=AssessmentStatus.VALIDATED)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("instrument_code")],
                order_by=[F("assessed_on").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .select_related("assessed_by", "validated_by")
    )
    drafts = readable.filter(status=AssessmentStatus.DRAFT).order_by("-assessed_on", "-pk")
    summaries = {code: InstrumentSummary(get(code), None, [], n) for code, n in counts.items()}
    for row in last_validated:
        summaries[row.instrument_code].last = row
    for row in drafts:
        summaries[row.instrument_code].drafts.append(row)
    return sorted(summaries.values(), key=lambda s: s.instrument.name if s.instrument else "")


def last_validated_of(*, person, access, codes) -> Assessment | None:
    """The latest validated assessment of these instruments that the user may read (one
    query): e.g. the last pain score shown beside the vital signs."""
    return (
        Assessment.objects.filter(
            person=person,
            category__in=sorted(access.readable),
            instrument_code__in=list(codes),
            status=AssessmentStatus.VALIDATED,
        )
        .select_related("assessed_by", "validated_by")
        .order_by("-assessed_on", "-pk")
        .first()
    )


def last_validated_gir(*, person) -> Assessment | None:
    return (
        Assessment.objects.filter(
            person=person, instrument_code="aggir", status=AssessmentStatus.VALIDATED
        )
        .only("score", "result_label", "assessed_on", "level", "public_id", "person_id")
        .order_by("-assessed_on", "-pk")
        .first()
    )


def gir_badges(person, access):
    """Header badge: the last validated GIR (one query, for users who read care)."""
    if not access.can_read("care"):
        return []
    last = last_validated_gir(person=person)
    if last is None:
        return []
    return [
        Badge(
            label=last.result_label,
            level=last.level,
            title=f"Grille AGGIR validée le {last.assessed_on:%d/%m/%Y}",
            url=reverse(
                "assessments:detail",
                kwargs={"person_id": person.public_id, "assessment_id": last.public_id},
            ),
        )
    ]
