"""The demo's external care (issue 13, item 6): appointments per unit past and upcoming, the
past ones with their outcome, rows the services' rules accept, and an agenda that shows them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from dui.care.appointments.models import Appointment
from dui.support.models import Event, EventStatus
from tests.factories import login, today

pytestmark = pytest.mark.django_db


def test_the_demo_units_have_appointments_past_and_upcoming_and_the_agenda_shows_them(client):
    call_command("seed_demo", stdout=StringIO())
    events = Event.objects.select_related("stay", "appointment")
    upcoming = events.filter(status=EventStatus.PLANNED, starts_at__date__gte=today())
    done = events.filter(status=EventStatus.DONE)

    assert upcoming.exists() and done.exists()
    assert events.filter(status=EventStatus.CANCELLED).exists()
    assert len({e.stay.unit_id for e in upcoming}) >= 2  # several units
    assert all(e.report and e.appointment.follow_up for e in done[:50])
    assert Appointment.objects.count() == Event.objects.count()
    for event in events.order_by("?")[:40]:
        event.full_clean()
        event.appointment.full_clean()
        assert event.stay.started_on <= event.starts_at.date()

    from django.contrib.auth import get_user_model

    nurse = get_user_model().objects.get(username="ide.tilleuls")
    login(client, nurse)
    response = client.get(reverse("care:appointments_agenda") + "?jours=8")
    assert response.status_code == 200
