"""Assignments of professionals: dates in order and units of the right establishment."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dui.access.models import AccessAction, AccessEvent
from dui.accounts import services
from dui.accounts.models import Assignment, AssignmentRole
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENDS_BEFORE_START = "La fin de l'affectation ne peut précéder son début."


@pytest.fixture
def newcomer(db):
    return UserFactory(username="ide.nouvelle", profession="ide")


def test_an_assignment_ending_before_it_starts_is_refused_with_a_french_message(
    newcomer, ehpad_a, unit_a
):
    assignment = Assignment(
        user=newcomer,
        establishment=ehpad_a,
        unit=unit_a,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 2, 28),
    )

    with pytest.raises(ValidationError) as caught:
        assignment.full_clean()

    assert ENDS_BEFORE_START in caught.value.messages
    assert not Assignment.objects.filter(user=newcomer).exists()


def test_the_database_refuses_an_assignment_ending_before_it_starts_by_constraint_name(
    newcomer, ehpad_a
):
    with (
        pytest.raises(IntegrityError, match="assignment_ends_after_start"),
        transaction.atomic(),
    ):
        Assignment.objects.create(
            user=newcomer,
            establishment=ehpad_a,
            start_date=date(2026, 3, 1),
            end_date=date(2026, 2, 28),
        )

    assert not Assignment.objects.filter(user=newcomer).exists()


def test_an_assignment_of_a_single_day_is_accepted(newcomer, ehpad_a):
    assignment = Assignment(
        user=newcomer, establishment=ehpad_a, start_date=date(2026, 3, 1), end_date=date(2026, 3, 1)
    )

    assignment.full_clean()
    assignment.save()

    assert Assignment.objects.active(on=date(2026, 3, 1)).filter(user=newcomer).count() == 1
    assert not Assignment.objects.active(on=date(2026, 3, 2)).filter(user=newcomer).exists()


def test_the_service_refuses_a_unit_of_another_establishment_and_saves_nothing(
    director_a, newcomer, ehpad_a, unit_b
):
    events_before = AccessEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        services.assignment_create(
            acting_user=director_a,
            user=newcomer,
            establishment=ehpad_a,
            unit=unit_b,
            role=AssignmentRole.STAFF,
            start_date=date(2026, 3, 1),
        )

    assert caught.value.message_dict["unit"] == ["Cette unité appartient à un autre établissement."]
    assert not Assignment.objects.filter(user=newcomer).exists()
    assert AccessEvent.objects.count() == events_before


def test_the_service_refuses_dates_in_the_wrong_order_and_saves_nothing(
    director_a, newcomer, ehpad_a, unit_a
):
    with pytest.raises(ValidationError) as caught:
        services.assignment_create(
            acting_user=director_a,
            user=newcomer,
            establishment=ehpad_a,
            unit=unit_a,
            role=AssignmentRole.STAFF,
            start_date=date(2026, 3, 1),
            end_date=date(2026, 1, 1),
        )

    assert ENDS_BEFORE_START in caught.value.messages
    assert not Assignment.objects.filter(user=newcomer).exists()


def test_the_service_creates_a_valid_assignment_and_journals_it(
    director_a, newcomer, ehpad_a, unit_a
):
    assignment = services.assignment_create(
        acting_user=director_a,
        user=newcomer,
        establishment=ehpad_a,
        unit=unit_a,
        role=AssignmentRole.STAFF,
        start_date=date(2026, 3, 1),
    )

    assert assignment.created_by == director_a
    assert AccessEvent.objects.filter(
        user=director_a, action=AccessAction.CONFIGURE, object_id=str(assignment.public_id)
    ).exists()
