"""The establishment/unit switcher: a professional acts under one of her own assignments."""

from html import unescape

import pytest
from django.urls import reverse

from dui.accounts.models import Assignment
from tests.factories import (
    AssignmentFactory,
    CareTeamMembershipFactory,
    PersonFactory,
    PlaceFactory,
)
from tests.stays.factories import StayFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_assignment(nurse_a, unit_a2):
    return AssignmentFactory(user=nurse_a, unit=unit_a2)


def home_title(client) -> str:
    page = client.get(reverse("core:home")).content.decode()
    return page.split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_the_home_page_starts_on_the_first_assignment(logged_in_client, nurse_a, second_assignment):
    nurse = logged_in_client(nurse_a)

    assert home_title(nurse) == "Ma journée — Les Glycines"


def test_switching_assignment_changes_the_unit_of_the_day(
    logged_in_client, nurse_a, second_assignment
):
    nurse = logged_in_client(nurse_a)
    neighbour = PersonFactory(birth_name="Garnier", first_names="Odette")
    CareTeamMembershipFactory(
        person=neighbour, unit=second_assignment.unit, establishment=second_assignment.establishment
    )
    # She lives in the other unit: the day list shows the persons whose stay is under way there.
    StayFactory(
        person=neighbour,
        place=PlaceFactory(
            establishment=second_assignment.establishment, unit=second_assignment.unit
        ),
    )

    response = nurse.post(
        reverse("accounts:switch_assignment"),
        {"assignment": str(second_assignment.public_id), "next": reverse("core:home")},
        follow=True,
    )

    page = unescape(response.content.decode())
    assert "Vous travaillez maintenant pour : Les Hortensias" in page
    assert home_title(nurse) == "Ma journée — Les Hortensias"
    assert "GARNIER" in page.upper()


def test_someone_elses_assignment_is_refused(logged_in_client, nurse_a, nurse_b, second_assignment):
    nurse = logged_in_client(nurse_a)
    theirs = Assignment.objects.get(user=nurse_b)

    response = nurse.post(
        reverse("accounts:switch_assignment"), {"assignment": str(theirs.public_id)}, follow=True
    )

    assert "Cette affectation n'est pas la vôtre ou n'est plus active." in unescape(
        response.content.decode()
    )
    assert home_title(nurse) == "Ma journée — Les Glycines"


def test_an_ended_assignment_cannot_be_chosen(logged_in_client, nurse_a, unit_a2):
    old = AssignmentFactory(user=nurse_a, unit=unit_a2, ended=True)
    nurse = logged_in_client(nurse_a)

    response = nurse.post(
        reverse("accounts:switch_assignment"), {"assignment": str(old.public_id)}, follow=True
    )

    assert "Cette affectation n'est pas la vôtre ou n'est plus active." in unescape(
        response.content.decode()
    )
    assert home_title(nurse) == "Ma journée — Les Glycines"


def test_the_switcher_lists_only_my_active_assignments(
    logged_in_client, nurse_a, nurse_b, second_assignment, unit_b
):
    AssignmentFactory(user=nurse_a, unit=unit_b, ended=True)
    page = logged_in_client(nurse_a).get(reverse("core:home")).content.decode()

    switcher = page.split('id="assignment-switch"', 1)[1].split("</select>", 1)[0]
    assert "Les Glycines" in switcher
    assert "Les Hortensias" in switcher
    assert "Les Lilas" not in switcher
