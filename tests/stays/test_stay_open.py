"""The stays brick opens a stay on a free place: its own table, the team's access to the
person, the journal line — refused to a profession that does not write there."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent, CareTeamMembership, MembershipReason
from dui.organisation.models import PlaceKind
from dui.stays.models import Stay
from dui.stays.selectors import current_stay
from dui.stays.services import stay_open
from tests.factories import PersonFactory
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


def test_a_stay_is_current_from_its_entry_day_to_its_exit_day(secretary_a, room_101, today):
    stay = open_on(secretary_a, room_101, today, ended_on=today + timedelta(days=3))
    assert Stay.objects.current(today).filter(pk=stay.pk).exists()
    assert Stay.objects.current(today + timedelta(days=3)).filter(pk=stay.pk).exists()
    assert not Stay.objects.current(today - timedelta(days=1)).filter(pk=stay.pk).exists()
    assert not Stay.objects.current(today + timedelta(days=4)).filter(pk=stay.pk).exists()


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
        started_on=today - timedelta(days=2),
        ended_on=today + timedelta(days=5),
    )
    assert current_stay(person=person, user=secretary_a) == temporary
