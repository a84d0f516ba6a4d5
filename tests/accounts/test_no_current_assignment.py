"""A professional with no current assignment (issue 10, finding 10): someone who left, or a
new hire whose assignment starts next week. Before: HTTP 500 at login (the journal line was
given a lazy empty assignment) or a session opened on nothing. Now: the French reason, no
session, the attempt journaled without an assignment — and a session whose last assignment
ends while it is open is closed at its next request."""

from datetime import timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

from dui.access.models import AccessAction, AccessEvent
from dui.accounts.models import Assignment
from dui.core import dates
from tests.factories import PASSWORD, UserFactory, days_ago, days_ahead, professional
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db

NO_ASSIGNMENT = "Aucune affectation en cours dans un établissement : adressez-vous à la direction."


def post_login(client, username: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


@pytest.fixture
def nurse(unit_a):
    return professional(
        username="ide.partie", profession="ide", establishment=unit_a.establishment, unit=unit_a
    )


def assign_dates(user, start, end):
    Assignment.objects.filter(user=user).update(start_date=start, end_date=end)


def test_someone_whose_assignment_ended_yesterday_is_refused_at_login_with_the_reason(
    client, nurse
):
    assign_dates(nurse, days_ago(400), days_ago(1))

    response = post_login(client, "ide.partie")

    line = assert_refused(response, NO_ASSIGNMENT, user=nurse)
    assert "_auth_user_id" not in client.session
    assert line.assignment_id is None
    assert line.object_type == "accounts.login:password"
    assert line.object_id == str(nurse.public_id)
    assert not AccessEvent.objects.filter(user=nurse, action=AccessAction.SESSION).exists()


def test_a_new_hire_whose_assignment_starts_next_week_is_refused_at_login(client, nurse):
    assign_dates(nurse, days_ahead(7), None)

    response = post_login(client, "ide.partie")

    line = assert_refused(response, NO_ASSIGNMENT, user=nurse)
    assert line.assignment_id is None
    assert "_auth_user_id" not in client.session
    # Nothing opened: the next page still asks for the login.
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:login"))


def test_the_refusal_comes_only_after_the_right_password(client, nurse):
    assign_dates(nurse, days_ago(400), days_ago(1))

    response = client.post(
        reverse("accounts:login"), {"username": "ide.partie", "password": "pas-le-bon"}
    )

    assert response.status_code == 200
    assert NO_ASSIGNMENT not in response.content.decode()
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()


def test_a_professional_with_one_assignment_ended_and_another_current_logs_in(
    client, nurse, unit_b
):
    assign_dates(nurse, days_ago(400), days_ago(1))
    Assignment.objects.create(
        user=nurse, establishment=unit_b.establishment, unit=unit_b, start_date=days_ago(1)
    )

    response = post_login(client, "ide.partie")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(nurse.pk)


def test_a_superuser_without_assignment_still_logs_in_to_set_up_a_new_installation(client):
    UserFactory(username="admin.si", is_staff=True, is_superuser=True)

    response = post_login(client, "admin.si")

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.fixture
def last_evening():
    """23:50 in Paris on the last day of the assignment: ten minutes before it ends."""
    last_day = dates.today()
    with freeze_time(
        dates.start_of_day(last_day + timedelta(days=1)) - timedelta(minutes=10)
    ) as clock:
        yield last_day, clock


def test_a_session_open_when_the_last_assignment_ends_is_closed_at_the_next_request(
    last_evening, login, client, nurse, resident_a
):
    last_day, clock = last_evening
    assign_dates(nurse, last_day - timedelta(days=400), last_day)
    login(client, nurse)
    assert client.get(reverse("core:home")).status_code == 200

    clock.tick(timedelta(minutes=12))  # 00:02, the day after the last day
    response = client.get(reverse("people:record", args=[resident_a.public_id]), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert NO_ASSIGNMENT in response.content.decode()
    assert "_auth_user_id" not in client.session
    line = AccessEvent.objects.filter(user=nurse, action=AccessAction.DENIED).get()
    assert line.assignment_id is None
    assert line.object_type == "accounts.session:no_assignment"
    # The record was not read.
    assert not AccessEvent.objects.filter(person=resident_a).exists()


def test_an_htmx_request_after_the_end_gets_401_and_where_to_go(last_evening, login, client, nurse):
    last_day, clock = last_evening
    assign_dates(nurse, last_day - timedelta(days=400), last_day)
    login(client, nurse)

    clock.tick(timedelta(minutes=12))
    response = client.get(reverse("people:list"), {"q": "lef"}, headers={"HX-Request": "true"})

    assert response.status_code == 401
    assert response["HX-Redirect"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
