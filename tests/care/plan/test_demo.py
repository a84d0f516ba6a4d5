"""Demo data: every current resident has a care plan, weeks of records and today's tasks."""

import pytest
from django.core.management import call_command

from dui.care.plan.models import CarePlanLine, CareRecord, CareTask
from dui.core import dates
from dui.stays.models import Stay

pytestmark = pytest.mark.django_db


def test_every_demo_resident_has_a_plan_records_and_todays_tasks():
    call_command("seed_demo", persons=40, verbosity=0)
    residents = Stay.objects.current(dates.today()).filter(place__isnull=False)
    assert residents.exists()
    planned = set(CarePlanLine.objects.values_list("person_id", flat=True))
    assert set(residents.values_list("person_id", flat=True)) <= planned
    outcomes = set(CareRecord.objects.values_list("outcome", flat=True))
    assert {"done", "not_done", "refused"} <= outcomes
    assert CareRecord.objects.filter(late=True).exclude(late_reason="").exists()
    assert not CareRecord.objects.filter(outcome="not_done", reason="").exists()
    today_start = dates.start_of_day(dates.today())
    assert CareTask.objects.filter(due_at__gte=today_start, record__isnull=True).exists()
    # Records were entered when the care was given, not at the seed's moment.
    assert CareRecord.objects.filter(created_at__lt=today_start).exists()
