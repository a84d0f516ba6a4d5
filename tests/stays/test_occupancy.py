"""Occupancy of an establishment: who holds which place today and on a chosen date, the free
places, the planned admissions and discharges; names only for persons the user may see."""

from datetime import timedelta

import pytest
from django.urls import reverse

from dui.stays.selectors import occupancy
from tests.factories import PlaceFactory
from tests.stays.factories import StayFactory


@pytest.fixture
def in_10_days(today):
    return today + timedelta(days=10)


@pytest.fixture
def places(unit_a, unit_a2):
    return {
        "101": PlaceFactory(unit=unit_a, label="101"),
        "102": PlaceFactory(unit=unit_a, label="102"),
        "103": PlaceFactory(unit=unit_a, label="103"),
        "201": PlaceFactory(unit=unit_a2, label="201"),
    }


@pytest.fixture
def stays(places, resident_a, today, in_10_days):
    return {
        # resident_a is followed by unit A: the nurse of unit A sees her name.
        "current": StayFactory(
            place=places["101"], person=resident_a, started_on=today - timedelta(days=300)
        ),
        # A stay with a planned end in 10 days and no exit recorded.
        "leaving": StayFactory(
            place=places["102"], started_on=today - timedelta(days=50), planned_end=in_10_days
        ),
        "coming": StayFactory(place=places["103"], started_on=in_10_days),
        "other_unit": StayFactory(place=places["201"], started_on=today - timedelta(days=5)),
        "gone": StayFactory(
            place=places["201"],
            started_on=today - timedelta(days=90),
            ended_on=today - timedelta(days=10),
        ),
    }


def test_occupancy_counts_today_and_on_a_chosen_date(stays, nurse_a, ehpad_a, in_10_days):
    board = occupancy(user=nurse_a, establishment=ehpad_a, day=in_10_days)
    assert board.places == 4
    assert board.free_today == 1  # 103, not yet entered
    assert board.free_on_day == 1  # 102, freed by its planned end for planning; 103 taken
    by_unit = {u.unit.name: u for u in board.units}
    assert by_unit["Les Glycines"].free_today == 1 and by_unit["Les Hortensias"].free_today == 0


def test_occupancy_lists_planned_admissions_and_discharges(stays, nurse_a, ehpad_a, today):
    board = occupancy(user=nurse_a, establishment=ehpad_a, day=today)
    assert [o.stay for o in board.admissions] == [stays["coming"]]
    assert [o.stay for o in board.discharges] == [stays["leaving"]]


def test_occupancy_names_only_persons_the_user_may_see(stays, nurse_a, ehpad_a, resident_a):
    board = occupancy(user=nurse_a, establishment=ehpad_a)
    rows = {r.place.label: r for u in board.units for r in u.rows}
    assert rows["101"].today.label == resident_a.display_name
    assert rows["201"].today.label == "occupée"


def test_the_occupancy_page_shows_places_and_hides_names_of_others(
    stays, nurse_a, resident_a, logged_in_client
):
    response = logged_in_client(nurse_a).get(reverse("stays:occupancy"))
    assert response.status_code == 200
    body = response.content.decode()
    assert resident_a.display_name in body
    assert stays["other_unit"].person.display_name not in body
    assert "occupée" in body


def test_the_occupancy_page_on_a_chosen_date(stays, nurse_a, logged_in_client, in_10_days):
    response = logged_in_client(nurse_a).get(
        reverse("stays:occupancy"), {"date": in_10_days.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["board"].free_on_day == 1


def test_the_occupancy_page_does_not_show_another_establishment(stays, nurse_b, logged_in_client):
    response = logged_in_client(nurse_b).get(reverse("stays:occupancy"))
    assert response.status_code == 200
    assert "101" not in [r.place.label for u in response.context["board"].units for r in u.rows]


def _fill(unit, count):
    for n in range(count):
        StayFactory(place=PlaceFactory(unit=unit, label=f"P{n}"))


def _page_queries(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(reverse("stays:occupancy"))
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_occupancy_page_runs_as_many_queries_for_5_or_40_places(
    unit_a, nurse_a, logged_in_client, django_assert_max_num_queries
):
    client = logged_in_client(nurse_a)
    _fill(unit_a, 5)
    few = _page_queries(client, django_assert_max_num_queries, 15)
    _fill(unit_a.establishment.units.create(name="Autre"), 35)
    many = _page_queries(client, django_assert_max_num_queries, 15)
    assert few == many


def test_a_planned_end_passed_without_an_exit_still_holds_the_place_today(
    places, nurse_a, ehpad_a, today
):
    overstaying = StayFactory(
        place=places["101"],
        kind="temporary",
        started_on=today - timedelta(days=30),
        planned_end=today - timedelta(days=2),
    )
    board = occupancy(user=nurse_a, establishment=ehpad_a, day=today + timedelta(days=1))
    rows = {r.place.label: r for u in board.units for r in u.rows}
    assert rows["101"].today.stay == overstaying
    assert rows["101"].today.overdue
    # For planning, the planned end has freed it.
    assert rows["101"].on_day is None
    assert [o.stay for o in board.discharges] == [overstaying]


def test_a_planned_stay_reserves_its_place_from_its_entry_only(
    places, nurse_a, ehpad_a, today, in_10_days
):
    coming = StayFactory(place=places["103"], started_on=in_10_days)
    before = occupancy(user=nurse_a, establishment=ehpad_a, day=in_10_days - timedelta(days=1))
    on_entry = occupancy(user=nurse_a, establishment=ehpad_a, day=in_10_days)

    def row(board):
        return {r.place.label: r for u in board.units for r in u.rows}["103"]

    assert row(before).today is None and row(before).on_day is None
    assert [o.stay for o in row(before).planned] == [coming]
    assert row(on_entry).on_day.stay == coming and not row(on_entry).planned


def test_the_occupancy_page_shows_a_planned_end_as_planned(
    places, nurse_a, resident_a, logged_in_client, today, in_10_days
):
    StayFactory(
        place=places["101"],
        person=resident_a,
        kind="temporary",
        started_on=today - timedelta(days=3),
        planned_end=in_10_days,
    )
    body = logged_in_client(nurse_a).get(reverse("stays:occupancy")).content.decode()
    assert f"jusqu'au {in_10_days:%d/%m/%Y} (prévu)" in body
