"""The stays brick opens a stay on a free place: its own table, the team's access to the
person, the journal line — refused to a profession that does not write there."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent, CareTeamMembership, MembershipReason
from dui.organisation.models import PlaceKind
from dui.stays.models import Stay
from dui.stays.selectors import current_stay
from dui.stays.services import stay_open
from tests.factories import PersonFactory, PlaceFactory
from tests.refusals import assert_service_refused
from tests.stays.factories import StayFactory


def open_on(user, place, day, **extra):
    return stay_open(
        acting_user=user,
        person=extra.pop("person", None) or PersonFactory(birth_name="Garnier"),
        establishment=place.establishment,
        unit=place.unit,
        place=place,
        kind=extra.pop("kind", PlaceKind.PERMANENT),
        started_on=day,
        **extra,
    )


def test_a_stay_is_opened_with_the_units_access_and_its_journal_line(secretary_a, room_101, today):
    stay = open_on(secretary_a, room_101, today)
    assert stay.created_by == secretary_a and stay.place == room_101
    membership = CareTeamMembership.objects.get(person=stay.person, reason=MembershipReason.STAY)
    assert membership.unit == room_101.unit
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, person=stay.person, object_id=str(stay.public_id)
    ).exists()


def test_a_stay_is_opened_with_its_planned_end_and_no_exit(secretary_a, unit_a, today):
    place = PlaceFactory(unit=unit_a, label="T1", kind=PlaceKind.TEMPORARY)
    stay = open_on(
        secretary_a, place, today, kind=PlaceKind.TEMPORARY, planned_end=today + timedelta(days=3)
    )
    assert stay.planned_end == today + timedelta(days=3)
    assert stay.ended_on is None and stay.admitted_on == today
    # Current from its entry until an actual exit: past its planned end too.
    assert Stay.objects.current(today).filter(pk=stay.pk).exists()
    assert Stay.objects.current(today + timedelta(days=30)).filter(pk=stay.pk).exists()
    assert not Stay.objects.current(today - timedelta(days=1)).filter(pk=stay.pk).exists()


def test_a_temporary_stay_without_a_planned_end_is_refused(secretary_a, unit_a, today):
    """CASF D312-8 I: the accueil temporaire is « organisé pour une durée limitée »."""
    place = PlaceFactory(unit=unit_a, label="T1", kind=PlaceKind.TEMPORARY)
    with pytest.raises(ValidationError) as error:
        open_on(secretary_a, place, today, kind=PlaceKind.TEMPORARY)
    assert error.value.message_dict == {
        "planned_end": ["Indiquez la fin prévue de l'hébergement temporaire."]
    }
    assert not Stay.objects.exists()


@pytest.mark.parametrize("days", [0, -1])
def test_a_planned_end_on_or_before_the_entry_is_refused(secretary_a, room_101, today, days):
    with pytest.raises(ValidationError) as error:
        open_on(secretary_a, room_101, today, planned_end=today + timedelta(days=days))
    assert error.value.message_dict == {
        "planned_end": ["La fin prévue doit suivre la date d'entrée."]
    }
    assert not Stay.objects.exists()


def test_the_database_refuses_a_planned_end_before_the_entry(room_101, today):
    with pytest.raises(IntegrityError), transaction.atomic():
        StayFactory(place=room_101, started_on=today, planned_end=today)


def test_a_stay_entering_later_is_planned_and_reserves_its_place(secretary_a, room_101, today):
    stay = open_on(secretary_a, room_101, today + timedelta(days=10))
    assert stay.state_on(today) == "planned"
    assert not Stay.objects.current(today).filter(pk=stay.pk).exists()
    with pytest.raises(ValidationError, match="est occupée du"):
        open_on(secretary_a, room_101, today + timedelta(days=20))


def test_two_persons_never_hold_the_same_place_on_the_same_day(secretary_a, room_101, today):
    StayFactory(place=room_101, started_on=today - timedelta(days=10))
    with pytest.raises(ValidationError, match="est occupée du"):
        open_on(secretary_a, room_101, today)
    assert Stay.objects.count() == 1


def test_a_profession_that_does_not_write_there_cannot_open_a_stay(aide_a, room_101, today):
    person = PersonFactory()
    with pytest.raises(AccessDenied) as refused:
        open_on(aide_a, room_101, today, person=person)
    assert_service_refused(
        refused, "Votre profession ne peut pas ouvrir de séjour dans cet établissement."
    )
    assert refused.value.person == person
    assert not Stay.objects.exists()


def test_the_current_stay_is_the_one_under_way_today_even_with_a_planned_exit(
    secretary_a, unit_a, room_101, room_102, today
):
    person = PersonFactory()
    StayFactory(person=person, place=room_102, started_on=today + timedelta(days=30))
    assert current_stay(person=person, user=secretary_a) is None
    temporary = StayFactory(
        person=person,
        place=room_101,
        kind=PlaceKind.TEMPORARY,
        started_on=today - timedelta(days=10),
        planned_end=today - timedelta(days=1),
    )
    # Its planned end has passed, but nobody recorded an exit: the person is still there.
    assert current_stay(person=person, user=secretary_a) == temporary
