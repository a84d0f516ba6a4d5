"""The welcome checklist of a stay: each item ticked once, with its date and who; the
personal plan is due six months after the admission."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dui.admissions.models import WelcomeChecklistItem, WelcomeItem
from dui.admissions.welcome import add_months, personal_plan_due, welcome_item_tick
from dui.stays.services import stay_admit
from tests.factories import PlaceFactory
from tests.stays.helpers import ACCEPTED, TODAY, application_for


@pytest.fixture
def stay(secretary_a, ehpad_a, unit_a):
    request = application_for(secretary_a, ehpad_a, statuses=ACCEPTED)
    place = PlaceFactory(unit=unit_a, label="101")
    return stay_admit(
        acting_user=secretary_a, request=request, unit=unit_a, place=place, started_on=TODAY
    )


def test_an_item_is_ticked_with_its_date_and_who(stay, secretary_a):
    entry = welcome_item_tick(
        acting_user=secretary_a,
        stay=stay,
        item=WelcomeItem.LIVRET,
        done_on=TODAY - timedelta(days=1),
    )
    assert entry.done_by == secretary_a and entry.done_on == TODAY - timedelta(days=1)


def test_an_item_is_ticked_once(stay, secretary_a):
    welcome_item_tick(acting_user=secretary_a, stay=stay, item=WelcomeItem.CHARTE)
    with pytest.raises(ValidationError) as error:
        welcome_item_tick(acting_user=secretary_a, stay=stay, item=WelcomeItem.CHARTE)
    assert "déjà cochée" in " ".join(error.value.messages)
    assert WelcomeChecklistItem.objects.filter(stay=stay).count() == 1


def test_a_date_in_the_future_is_refused(stay, secretary_a):
    with pytest.raises(ValidationError):
        welcome_item_tick(
            acting_user=secretary_a,
            stay=stay,
            item=WelcomeItem.INVENTORY,
            done_on=TODAY + timedelta(days=1),
        )


def test_a_professional_of_another_establishment_cannot_tick(stay, nurse_b):
    with pytest.raises(PermissionDenied):
        welcome_item_tick(acting_user=nurse_b, stay=stay, item=WelcomeItem.LIVRET)


def test_the_personal_plan_is_due_six_months_after_the_admission(stay):
    assert personal_plan_due(stay) == add_months(stay.started_on, 6)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_the_welcome_page_shows_done_and_pending_items(
    stay, secretary_a, logged_in_client, django_assert_max_num_queries
):
    welcome_item_tick(acting_user=secretary_a, stay=stay, item=WelcomeItem.LIVRET)
    client = logged_in_client(secretary_a)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("stays:welcome", args=[stay.person.public_id]))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="welcome-item"') == len(WelcomeItem.values)
    assert "1</strong> étape faite sur 8" in body
    assert f"{personal_plan_due(stay):%d/%m/%Y}" in body


def test_the_welcome_page_ticks_an_item_once_even_when_sent_twice(
    stay, secretary_a, logged_in_client
):
    client = logged_in_client(secretary_a)
    url = reverse("stays:welcome", args=[stay.person.public_id])
    data = {
        "stay": str(stay.public_id),
        "item": WelcomeItem.REGLEMENT,
        "done_on": TODAY.isoformat(),
        "idempotency_key": "0d1c8a5e-7b0e-4a51-9a55-1f6f3b2c4d10",
    }
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert WelcomeChecklistItem.objects.filter(stay=stay, item=WelcomeItem.REGLEMENT).count() == 1
    other_key = client.post(
        url, {**data, "idempotency_key": "0d1c8a5e-7b0e-4a51-9a55-1f6f3b2c4d11"}
    )
    assert other_key.status_code == 400
    assert "déjà cochée" in other_key.content.decode()
