"""The demo's stays and absences (`seed_demo`): every temporary stay has its planned end and no
exit, and some residents have an absence on record — a believable presence/absence tab."""

from io import StringIO

import pytest
from django.core.management import call_command

from dui.organisation.models import PlaceKind
from dui.stays.models import Attendance, AttendanceStatus, Stay
from tests.factories import today

pytestmark = pytest.mark.django_db


def test_the_demo_has_temporary_stays_with_planned_ends_and_some_absences():
    out = StringIO()
    call_command("seed_demo", stdout=out, persons=400)

    temporary = Stay.objects.current(today()).filter(kind=PlaceKind.TEMPORARY)
    assert temporary.exists()
    assert not temporary.filter(planned_end__isnull=True).exists()
    assert not temporary.filter(planned_end__lte=today()).exists()
    absences = Attendance.objects.all()
    assert absences.filter(status=AttendanceStatus.VALIDATED, ends_on__lt=today()).exists()
    assert absences.filter(status=AttendanceStatus.PLANNED, starts_on__gt=today()).exists()
    assert "absences" in out.getvalue()
