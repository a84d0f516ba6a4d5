"""One definition of a planned, current and ended stay (issue 11), and every screen agrees on it:
a stay is planned before its entry day, current from it until an actual exit (the exit day
still counts), ended after it; a planned end never ends a stay."""

import html
import re
from datetime import timedelta

from django.urls import reverse

from dui.organisation.models import PlaceKind
from dui.people.selectors import person_search
from dui.stays.models import Stay, StayState
from tests.factories import PersonFactory, PlaceFactory
from tests.stays.factories import StayFactory

TDDUI_STAY_ID = re.compile(r"^3[0-9]{9}/[A-Za-z0-9]+-SEJOUR-[A-Za-z0-9]+$")


def day(today, n):
    return today + timedelta(days=n)


def stays_by_case(today, place):
    """A stay of each shape, named by what it is today."""
    temporary = PlaceFactory(unit=place.unit, label="T1", kind=PlaceKind.TEMPORARY)
    return {
        "enters_tomorrow": StayFactory(
            place=PlaceFactory(unit=place.unit), started_on=day(today, 1)
        ),
        "entered_today": StayFactory(place=place, started_on=today),
        "temporary_with_planned_end_ahead": StayFactory(
            place=temporary,
            kind=PlaceKind.TEMPORARY,
            started_on=day(today, -5),
            planned_end=day(today, 10),
        ),
        "temporary_past_its_planned_end": StayFactory(
            place=PlaceFactory(unit=place.unit, kind=PlaceKind.TEMPORARY),
            kind=PlaceKind.TEMPORARY,
            started_on=day(today, -40),
            planned_end=day(today, -3),
        ),
        "leaves_today": StayFactory(
            place=PlaceFactory(unit=place.unit), started_on=day(today, -9), ended_on=today
        ),
        "left_yesterday": StayFactory(
            place=PlaceFactory(unit=place.unit), started_on=day(today, -9), ended_on=day(today, -1)
        ),
    }


EXPECTED = {
    "enters_tomorrow": StayState.PLANNED,
    "entered_today": StayState.CURRENT,
    "temporary_with_planned_end_ahead": StayState.CURRENT,
    "temporary_past_its_planned_end": StayState.CURRENT,
    "leaves_today": StayState.CURRENT,  # the exit day still counts
    "left_yesterday": StayState.ENDED,
}


def test_each_stay_has_the_state_the_one_definition_gives(room_101, today):
    stays = stays_by_case(today, room_101)
    for case, stay in stays.items():
        assert stay.state_on(today) == EXPECTED[case], case


def test_the_querysets_and_state_on_agree(room_101, today):
    stays = stays_by_case(today, room_101)
    by_state = {
        StayState.PLANNED: set(Stay.objects.planned(today).values_list("pk", flat=True)),
        StayState.CURRENT: set(Stay.objects.current(today).values_list("pk", flat=True)),
        StayState.ENDED: set(Stay.objects.ended(today).values_list("pk", flat=True)),
    }
    for case, stay in stays.items():
        found_in = [state for state, pks in by_state.items() if stay.pk in pks]
        assert found_in == [EXPECTED[case]], case
    assert set(Stay.objects.not_ended(today).values_list("pk", flat=True)) == (
        by_state[StayState.PLANNED] | by_state[StayState.CURRENT]
    )


def test_a_stay_leaving_today_is_ended_tomorrow(room_101, today):
    stay = StayFactory(place=room_101, started_on=day(today, -9), ended_on=today)
    assert stay.state_on(day(today, 1)) == StayState.ENDED
    assert not Stay.objects.current(day(today, 1)).filter(pk=stay.pk).exists()


def test_who_holds_a_place_is_the_same_in_the_database_and_in_python(room_101, today):
    """`StayQuerySet.holding_place_on` (the overlap check) and `Stay.holds_place_on` (the
    occupancy board) are one rule: the exit day is free, a stay without an exit is there at
    least until today, a planned end frees the place for the days after today."""
    stays = stays_by_case(today, room_101)
    for offset in range(-12, 16):
        on = day(today, offset)
        in_database = set(
            Stay.objects.holding_place_on(on, today=today).values_list("pk", flat=True)
        )
        in_python = {s.pk for s in stays.values() if s.holds_place_on(on, today=today)}
        assert in_database == in_python, on


def test_a_planned_end_frees_the_place_for_planning_but_not_today(room_101, today):
    overstaying = StayFactory(
        place=room_101,
        kind=PlaceKind.TEMPORARY,
        started_on=day(today, -20),
        planned_end=day(today, -2),
    )
    assert overstaying.holds_place_on(today, today=today)
    assert not overstaying.holds_place_on(day(today, 1), today=today)
    ahead = StayFactory(place=room_101, started_on=day(today, -1), planned_end=day(today, 5))
    assert ahead.holds_place_on(day(today, 4), today=today)
    assert not ahead.holds_place_on(day(today, 5), today=today)


# --- Every screen agrees -----------------------------------------------------------------------


def header_stay(client, person) -> str:
    page = html.unescape(
        client.get(
            reverse("people:record", kwargs={"person_id": person.public_id})
        ).content.decode()
    )
    if 'data-testid="header-stay"' not in page:
        return ""
    return page.split('data-testid="header-stay">', 1)[1].split("</span>", 1)[0]


def room_search(user, room) -> set:
    return set(person_search(user=user, query=f"ch {room}").values_list("pk", flat=True))


def test_a_temporary_stay_with_a_planned_end_is_in_the_header_and_the_room_search(
    logged_in_client, nurse_a, resident_a, unit_a, today
):
    place = PlaceFactory(unit=unit_a, label="T7", kind=PlaceKind.TEMPORARY)
    StayFactory(
        place=place,
        person=resident_a,
        kind=PlaceKind.TEMPORARY,
        started_on=day(today, -3),
        planned_end=day(today, 25),
    )
    assert header_stay(logged_in_client(nurse_a), resident_a).endswith("ch. T7")
    assert room_search(nurse_a, "T7") == {resident_a.pk}


def test_a_planned_admission_is_neither_in_the_header_nor_in_the_room_search(
    logged_in_client, nurse_a, resident_a, unit_a, today
):
    StayFactory(
        place=PlaceFactory(unit=unit_a, label="44"), person=resident_a, started_on=day(today, 7)
    )
    assert header_stay(logged_in_client(nurse_a), resident_a) == ""
    assert room_search(nurse_a, "44") == set()


def test_a_stay_past_its_planned_end_without_an_exit_is_still_in_the_header(
    logged_in_client, nurse_a, resident_a, unit_a, today
):
    StayFactory(
        place=PlaceFactory(unit=unit_a, label="T8", kind=PlaceKind.TEMPORARY),
        person=resident_a,
        kind=PlaceKind.TEMPORARY,
        started_on=day(today, -30),
        planned_end=day(today, -1),
    )
    assert header_stay(logged_in_client(nurse_a), resident_a).endswith("ch. T8")
    assert room_search(nurse_a, "T8") == {resident_a.pk}


# --- TDDUI ----------------------------------------------------------------------------------------


def test_a_stay_has_a_tddui_business_identifier_from_its_public_ids(room_101, today):
    """TDDUI idSejour: 3 + FINESS / local person id - SEJOUR - number (TDDUIEncounterSejour)."""
    stay = StayFactory(place=room_101, person=PersonFactory(), started_on=today)
    identifier = stay.export_identifier
    assert TDDUI_STAY_ID.match(identifier)
    assert identifier == (
        f"3{room_101.establishment.finess}/{stay.person.public_id.hex}-SEJOUR-{stay.public_id.hex}"
    )
