"""Reads of assessments, for a person already opened through the access layer."""

from dataclasses import dataclass

from .instruments import get
from .models import Assessment, AssessmentStatus


@dataclass
class InstrumentSummary:
    instrument: object
    last: Assessment | None
    drafts: list
    count: int


def assessments_page(*, person, access, limit: int = 200) -> list[InstrumentSummary]:
    """Per instrument the user may read: the last validated assessment, drafts in progress
    and how many there are — one query."""
    rows = list(
        Assessment.objects.filter(person=person, category__in=sorted(access.readable))
        .exclude(status=AssessmentStatus.ENTERED_IN_ERROR)
        .select_related("assessed_by", "validated_by")
        .order_by("instrument_code", "-assessed_on", "-pk")[:limit]
    )
    summaries: dict[str, InstrumentSummary] = {}
    for row in rows:
        summary = summaries.setdefault(
            row.instrument_code, InstrumentSummary(get(row.instrument_code), None, [], 0)
        )
        summary.count += 1
        if row.status == AssessmentStatus.VALIDATED and summary.last is None:
            summary.last = row
        elif row.status == AssessmentStatus.DRAFT:
            summary.drafts.append(row)
    return sorted(summaries.values(), key=lambda s: s.instrument.name if s.instrument else "")


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
    from django.urls import reverse

    from dui.people.record import Badge

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
