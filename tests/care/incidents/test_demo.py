"""Demo data: falls (some persons with two in twelve months and their open alert), pressure
ulcers followed weekly (never going back a category), some overdue, healed skin tears — every
row valid by the models' own rules."""

import pytest
from django.core.management import call_command

from dui.care.incidents import rules
from dui.care.incidents.models import Fall, Wound, WoundAssessment
from dui.care.incidents.selectors import is_overdue, with_last_assessment
from dui.care.observations.models import AlertKind, CareAlert
from dui.core import dates

pytestmark = pytest.mark.django_db


def test_the_demo_has_falls_repeated_falls_alerts_and_followed_pressure_ulcers():
    call_command("seed_demo", persons=60, verbosity=0)

    assert Fall.objects.exists()
    alerts = CareAlert.objects.filter(kind=AlertKind.REPEATED_FALLS, acknowledged_at=None)
    assert alerts.exists()
    for alert in alerts:
        days = [
            dates.date_of(f.occurred_at, f.establishment)
            for f in Fall.objects.filter(person=alert.person)
        ]
        latest = max(days)
        assert rules.is_repeated_fall(latest, [d for d in days if d != latest] or [])
        assert Fall.objects.filter(public_id=alert.source_id).exists()

    ulcers = with_last_assessment(Wound.objects.filter(kind="pressure_ulcer", healed_on=None))
    assert ulcers.exists()
    assert any(is_overdue(w.last_assessed_at) for w in ulcers)
    assert any(not is_overdue(w.last_assessed_at) for w in ulcers)
    for wound in ulcers:
        stages = list(wound.assessments.order_by("assessed_at").values_list("stage", flat=True))
        assert len(stages) >= 3
        for n, stage in enumerate(stages):
            assert rules.stage_regresses(stage, stages[:n]) is None
    assert Wound.objects.filter(kind="skin_tear", healed_on__isnull=False).exists()

    for row in [*Fall.objects.all(), *Wound.objects.all(), *WoundAssessment.objects.all()]:
        row.full_clean()
