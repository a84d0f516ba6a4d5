"""Helpers of the reviews-due, history and GMP tests: assessments and stays written straight
into the tables (the services are tested elsewhere; here only their stored result matters)."""

from decimal import Decimal

from dui.assessments.instruments import get
from dui.assessments.models import Assessment, AssessmentStatus
from dui.core import dates
from dui.stays.models import Stay
from tests.factories import CareTeamMembershipFactory, UserFactory, days_ago, start_of_day_ago

__all__ = ["assessor", "days_ago", "residents", "stay", "stored_assessment"]


def assessor():
    return UserFactory(profession="medecin_coordonnateur")


def stored_assessment(
    person,
    establishment,
    code: str = "aggir",
    *,
    on=None,
    status: str = AssessmentStatus.VALIDATED,
    score=None,
    level: str = "neutral",
    label: str = "",
    by=None,
    reason: str = "",
) -> Assessment:
    instrument = get(code)
    by = by or assessor()
    validated = status in (AssessmentStatus.VALIDATED, AssessmentStatus.AMENDED)
    if score is not None and not label:
        label = f"GIR {score}" if code == "aggir" else str(score)
    return Assessment.objects.create(
        person=person,
        establishment=establishment,
        instrument_code=code,
        instrument_version=instrument.version if instrument else "1",
        category=instrument.category if instrument else "care",
        assessed_on=on or dates.today(),
        assessed_by=by,
        score=Decimal(score) if score is not None else None,
        result_label=label,
        level=level,
        details={"gir": score} if code == "aggir" and score is not None else {},
        status=status,
        validated_by=by if validated else None,
        validated_at=dates.now() if validated else None,
        reason=reason
        or ("erreur de saisie" if status == AssessmentStatus.ENTERED_IN_ERROR else ""),
    )


def stay(person, unit, *, started_on, ended_on=None, kind="permanent") -> Stay:
    return Stay.objects.create(
        person=person,
        establishment=unit.establishment,
        unit=unit,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
    )


def residents(unit, count: int, *, since_days: int = 200) -> list:
    """`count` persons currently followed by the unit, each with a stay started `since_days`
    ago (the care team's first day is that day too)."""
    persons = []
    for _ in range(count):
        membership = CareTeamMembershipFactory(
            unit=unit,
            establishment=unit.establishment,
            valid_from=start_of_day_ago(since_days),
        )
        stay(membership.person, unit, started_on=days_ago(since_days))
        persons.append(membership.person)
    return persons
