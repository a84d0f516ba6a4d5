"""The header of every page of a record says where the person stays today. The record does not
know stays: the stays brick tells it through `dui.people.placement` (registered in its
AppConfig.ready), with the one rule for a current stay (`Stay.objects.current()`)."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse

from dui.core import dates
from dui.stays.models import Stay
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def header_stay(client, person) -> str:
    page = html.unescape(
        client.get(
            reverse("people:record", kwargs={"person_id": person.public_id})
        ).content.decode()
    )
    if 'data-testid="header-stay"' not in page:
        return ""
    return page.split('data-testid="header-stay">', 1)[1].split("</span>", 1)[0]


def stay(person, unit, label, *, started_on, ended_on=None) -> Stay:
    place = PlaceFactory(unit=unit, label=label)
    return Stay.objects.create(
        person=person,
        establishment=unit.establishment,
        unit=unit,
        place=place,
        kind=place.kind,
        started_on=started_on,
        ended_on=ended_on,
    )


def test_the_header_says_establishment_unit_and_room_of_today_s_stay(
    logged_in_client, nurse_a, resident_a, unit_a
):
    stay(resident_a, unit_a, "12", started_on=dates.today() - timedelta(days=40))

    assert header_stay(logged_in_client(nurse_a), resident_a) == (
        "EHPAD Les Tilleuls · Les Glycines · ch. 12"
    )


def test_a_stay_that_starts_tomorrow_or_ended_yesterday_is_not_today_s(
    logged_in_client, nurse_a, resident_a, unit_a
):
    today = dates.today()
    stay(
        resident_a,
        unit_a,
        "7",
        started_on=today - timedelta(days=90),
        ended_on=today - timedelta(days=1),
    )
    stay(resident_a, unit_a, "8", started_on=today + timedelta(days=1))

    assert header_stay(logged_in_client(nurse_a), resident_a) == ""


def test_the_exit_day_still_counts(logged_in_client, nurse_a, resident_a, unit_a):
    today = dates.today()
    stay(resident_a, unit_a, "9", started_on=today - timedelta(days=30), ended_on=today)

    assert header_stay(logged_in_client(nurse_a), resident_a).endswith("ch. 9")
