"""Need-to-know (DESIGN §4.1): who sees which person, for how long, in bounded queries."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from dui.access import services
from dui.access.models import InformationCategory
from dui.access.policy import person_access, persons_visible_to
from dui.accounts.models import User
from tests.factories import (
    AssignmentFactory,
    CareTeamMembershipFactory,
    PersonFactory,
    UserFactory,
    days_ahead,
)

pytestmark = pytest.mark.django_db


def visible(user) -> set:
    return set(persons_visible_to(user=user))


def fresh(user) -> User:
    """The same user without the per-request cache of assignments (a new request)."""
    return User.objects.get(pk=user.pk)


def test_a_nurse_sees_the_residents_of_her_unit_and_not_those_of_another_ehpad(
    nurse_a, resident_a, resident_b
):
    assert visible(nurse_a) == {resident_a}
    assert person_access(user=nurse_a, person=resident_a).visible
    assert not person_access(user=nurse_a, person=resident_b).visible


def test_unit_staff_do_not_see_the_residents_of_another_unit_of_the_same_ehpad(
    nurse_a, aide_a, doctor_a, unit_a2, resident_a
):
    neighbour = CareTeamMembershipFactory(unit=unit_a2).person

    assert neighbour not in visible(nurse_a)
    assert neighbour not in visible(aide_a)
    assert not person_access(user=nurse_a, person=neighbour).visible
    # The coordinating physician works for the whole establishment.
    assert visible(doctor_a) == {resident_a, neighbour}


def test_establishment_wide_staff_see_applicants_and_unit_staff_do_not(
    ehpad_a, nurse_a, aide_a, director_a, secretary_a, resident_a
):
    applicant = CareTeamMembershipFactory(application=True, establishment=ehpad_a).person

    assert applicant in visible(director_a)
    assert applicant in visible(secretary_a)
    assert applicant not in visible(nurse_a)
    assert applicant not in visible(aide_a)
    assert person_access(user=secretary_a, person=applicant).can_write(
        InformationCategory.ADMINISTRATIVE
    )


def test_nobody_of_another_ehpad_sees_an_applicant(ehpad_a, director_b, nurse_b):
    applicant = CareTeamMembershipFactory(application=True, establishment=ehpad_a).person
    assert applicant not in visible(director_b)
    assert applicant not in visible(nurse_b)


def test_after_discharge_the_team_keeps_reading_during_the_access_window_then_loses_access(
    director_a, nurse_a, resident_a
):
    membership = resident_a.care_team_memberships.get()
    discharge = timezone.now()
    services.care_team_leave(acting_user=director_a, membership=membership, at=discharge)

    with freeze_time(discharge + settings.ACCESS_WINDOW_AFTER_END - timedelta(hours=1)):
        nurse = fresh(nurse_a)
        assert visible(nurse) == {resident_a}
        access = person_access(user=nurse, person=resident_a)
        assert access.can_read(InformationCategory.CARE)
        assert access.can_read(InformationCategory.MEDICAL)
        assert not access.can_write(InformationCategory.CARE)
        assert access.writable == frozenset()

    with freeze_time(discharge + settings.ACCESS_WINDOW_AFTER_END + timedelta(hours=1)):
        nurse = fresh(nurse_a)
        assert visible(nurse) == set()
        assert not person_access(user=nurse, person=resident_a).visible


def test_a_discharged_person_is_read_only_for_the_team(nurse_a, unit_a):
    discharged = CareTeamMembershipFactory(ended=True, unit=unit_a).person
    access = person_access(user=nurse_a, person=discharged)
    assert access.visible
    assert access.can_read(InformationCategory.CARE)
    assert not access.can_write(InformationCategory.CARE)


def test_a_person_discharged_beyond_the_access_window_is_no_longer_visible(nurse_a, unit_a):
    gone = CareTeamMembershipFactory(long_ended=True, unit=unit_a).person
    assert gone not in visible(nurse_a)
    assert not person_access(user=nurse_a, person=gone).visible


def test_a_person_transferred_to_another_unit_is_writable_only_by_the_new_unit(
    director_a, nurse_a, unit_a2, resident_a
):
    services.care_team_leave(
        acting_user=director_a, membership=resident_a.care_team_memberships.get()
    )
    services.care_team_join(
        acting_user=director_a,
        person=resident_a,
        establishment=unit_a2.establishment,
        unit=unit_a2,
        reason="transfer",
    )
    nurse_a2 = UserFactory(profession="ide")
    AssignmentFactory(user=nurse_a2, establishment=unit_a2.establishment, unit=unit_a2)

    old_team = person_access(user=fresh(nurse_a), person=resident_a)
    new_team = person_access(user=nurse_a2, person=resident_a)
    assert old_team.can_read(InformationCategory.CARE)
    assert not old_team.can_write(InformationCategory.CARE)
    assert new_team.can_write(InformationCategory.CARE)


def test_a_professional_whose_assignment_ended_has_no_access(unit_a, resident_a):
    former = UserFactory(profession="ide")
    AssignmentFactory(ended=True, user=former, establishment=unit_a.establishment, unit=unit_a)
    assert visible(former) == set()
    assert not person_access(user=former, person=resident_a).visible


def test_an_assignment_starting_tomorrow_gives_no_access_yet(unit_a, resident_a):
    newcomer = UserFactory(profession="ide")
    AssignmentFactory(
        user=newcomer,
        establishment=unit_a.establishment,
        unit=unit_a,
        start_date=days_ahead(1),
    )
    assert visible(newcomer) == set()


def test_a_future_admission_is_not_visible_before_it_starts(nurse_a, unit_a):
    future = CareTeamMembershipFactory(
        unit=unit_a, valid_from=timezone.now() + timedelta(days=2)
    ).person
    assert future not in visible(nurse_a)


def test_an_anonymous_visitor_sees_nobody(resident_a):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()
    assert not person_access(user=AnonymousUser(), person=resident_a).visible


def test_a_break_glass_grant_shows_the_person_until_it_expires(nurse_b, resident_a):
    grant = services.break_glass_open(
        acting_user=nurse_b, person=resident_a, reason="Chute de nuit, médecin injoignable"
    )
    assert resident_a in visible(nurse_b)
    access = person_access(user=nurse_b, person=resident_a)
    assert access.via_break_glass
    assert access.can_read(InformationCategory.MEDICAL)
    assert access.writable == frozenset()

    with freeze_time(grant.expires_at + timedelta(seconds=1)):
        assert resident_a not in visible(fresh(nurse_b))
        assert not person_access(user=fresh(nurse_b), person=resident_a).visible


def _count_queries(func) -> int:
    with CaptureQueriesContext(connection) as queries:
        func()
    return len(queries)


@pytest.mark.parametrize("persons", [3, 40])
def test_listing_visible_persons_takes_the_same_few_queries_whatever_their_number(
    persons, nurse_a, unit_a, unit_a2, django_assert_max_num_queries
):
    for _ in range(persons):
        CareTeamMembershipFactory(unit=unit_a)
        CareTeamMembershipFactory(unit=unit_a2)
    nurse = fresh(nurse_a)
    # her assignments, her profession, its rights there (overrides), then the persons
    with django_assert_max_num_queries(4):
        shown = list(persons_visible_to(user=nurse))
    assert len(shown) == persons


def test_resolving_a_persons_access_takes_at_most_five_queries(
    nurse_a, nurse_b, unit_a, resident_a, django_assert_max_num_queries
):
    for _ in range(10):
        CareTeamMembershipFactory(person=resident_a, unit=unit_a, ended=True)
    PersonFactory.create_batch(10)
    for user in (fresh(nurse_a), fresh(nurse_b)):
        with django_assert_max_num_queries(5):
            person_access(user=user, person=resident_a)


def test_query_count_does_not_grow_with_the_number_of_assignments_and_memberships(unit_a, unit_a2):
    def scenario(size):
        nurse = UserFactory(profession="ide")
        for unit in (unit_a, unit_a2):
            AssignmentFactory(user=nurse, establishment=unit.establishment, unit=unit)
        person = PersonFactory()
        for _ in range(size):
            CareTeamMembershipFactory(person=person, unit=unit_a, ended=True)
        nurse = fresh(nurse)
        return _count_queries(
            lambda: (person_access(user=nurse, person=person), list(persons_visible_to(user=nurse)))
        )

    assert scenario(1) == scenario(25)
