"""Session policy: idle lock on shared tablets, absolute lifetime, logout everywhere."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.http import urlencode
from freezegun import freeze_time

from dui.access.models import AccessAction, AccessEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MORNING = "2026-03-02 07:00:00"
JUST_PAST_IDLE = settings.SESSION_IDLE_LOCK + timedelta(seconds=1)


def lock_url(next_path: str) -> str:
    return reverse("accounts:lock") + "?" + urlencode({"next": next_path})


@pytest.fixture
def frozen():
    with freeze_time(MORNING) as frozen_clock:
        yield frozen_clock


@pytest.fixture
def nurse_client(frozen, login, client, nurse_a):
    return login(client, nurse_a)


# --- Idle lock --------------------------------------------------------------------------------


def test_an_active_nurse_is_not_locked(frozen, nurse_client):
    for _minute in range(30):
        frozen.tick(timedelta(minutes=1))
        assert nurse_client.get(reverse("core:home")).status_code == 200


def test_after_the_idle_delay_the_next_page_leads_to_the_lock_screen(frozen, nurse_client):
    frozen.tick(JUST_PAST_IDLE)

    response = nurse_client.get(reverse("people:list") + "?q=lef")

    assert response.status_code == 302
    assert response["Location"] == lock_url(reverse("people:list") + "?q=lef")


def test_the_lock_screen_asks_for_the_password(frozen, nurse_client):
    frozen.tick(JUST_PAST_IDLE)

    response = nurse_client.get(lock_url(reverse("core:home")))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Session verrouillée" in page
    assert 'type="password"' in page
    assert "Claire Martin" in page


def test_a_wrong_password_keeps_the_session_locked(frozen, nurse_client):
    frozen.tick(JUST_PAST_IDLE)
    nurse_client.get(reverse("core:home"))

    response = nurse_client.post(
        reverse("accounts:unlock"), {"password": "pas-le-bon", "next": reverse("core:home")}
    )

    assert response.status_code == 200
    assert "Mot de passe incorrect." in response.content.decode()
    assert nurse_client.get(reverse("core:home"))["Location"] == lock_url(reverse("core:home"))


def test_the_right_password_unlocks_and_goes_back_to_the_page(frozen, nurse_client, resident_a):
    record = reverse("people:record", args=[resident_a.public_id])
    frozen.tick(JUST_PAST_IDLE)
    nurse_client.get(record)

    response = nurse_client.post(reverse("accounts:unlock"), {"password": PASSWORD, "next": record})

    assert response.status_code == 302
    assert response["Location"] == record
    assert nurse_client.get(record).status_code == 200


def test_the_unlock_does_not_follow_a_next_link_to_another_site(frozen, nurse_client):
    frozen.tick(JUST_PAST_IDLE)
    nurse_client.get(reverse("core:home"))

    response = nurse_client.post(
        reverse("accounts:unlock"), {"password": PASSWORD, "next": "https://exemple.com/piege"}
    )

    assert response["Location"] == reverse("core:home")


def test_the_lock_also_applies_to_posts(frozen, nurse_client, unit_a2, nurse_a):
    frozen.tick(JUST_PAST_IDLE)

    response = nurse_client.post(reverse("accounts:switch_assignment"), {"assignment": "x"})

    assert response.status_code == 302
    assert response["Location"] == lock_url(reverse("accounts:switch_assignment"))


def test_an_htmx_request_while_locked_gets_401_with_where_to_go(frozen, nurse_client):
    frozen.tick(JUST_PAST_IDLE)

    response = nurse_client.get(
        reverse("people:list"), {"q": "lef"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 401
    assert response["HX-Redirect"].startswith(reverse("accounts:lock") + "?next=")


def test_locking_the_screen_by_hand_locks_at_once(frozen, nurse_client):
    assert nurse_client.post(reverse("accounts:lock_now")).status_code == 204

    response = nurse_client.get(reverse("core:home"))

    assert response["Location"] == lock_url(reverse("core:home"))


# --- Absolute lifetime ------------------------------------------------------------------------


def test_after_the_absolute_lifetime_the_nurse_is_logged_out_even_if_active(frozen, nurse_client):
    step = timedelta(minutes=10)
    elapsed = timedelta(0)
    while elapsed + step < settings.SESSION_ABSOLUTE_LIFETIME:
        frozen.tick(step)
        elapsed += step
        assert nurse_client.get(reverse("core:home")).status_code == 200, elapsed

    frozen.tick(settings.SESSION_ABSOLUTE_LIFETIME - elapsed + timedelta(seconds=1))
    response = nurse_client.get(reverse("core:home"), follow=True)

    assert response.redirect_chain[0][0] == reverse("accounts:login")
    assert "_auth_user_id" not in nurse_client.session
    assert "durée maximale" in response.content.decode()


# --- Logout everywhere ------------------------------------------------------------------------


def test_logging_out_everywhere_closes_the_session_on_the_other_device(
    logged_in_client, nurse_a, aide_a
):
    tablet = logged_in_client(nurse_a)
    office = logged_in_client(nurse_a)
    colleague = logged_in_client(aide_a)

    response = office.post(reverse("accounts:logout_everywhere"))

    assert response["Location"] == reverse("accounts:login")
    on_tablet = tablet.get(reverse("core:home"), follow=True)
    assert on_tablet.redirect_chain[0] == (reverse("accounts:login"), 302)
    assert "Votre session a été fermée. Reconnectez-vous." in on_tablet.content.decode()
    assert tablet.get(reverse("core:home"))["Location"].startswith(reverse("accounts:login"))
    # Other professionals keep their sessions.
    assert colleague.get(reverse("core:home")).status_code == 200
    assert AccessEvent.objects.filter(
        user=nurse_a, action=AccessAction.SESSION, object_id=str(nurse_a.public_id)
    ).exists()


def test_logging_out_everywhere_leaves_a_new_login_working(logged_in_client, nurse_a):
    office = logged_in_client(nurse_a)
    office.post(reverse("accounts:logout_everywhere"))
    nurse_a.refresh_from_db()

    again = logged_in_client(nurse_a)

    assert again.get(reverse("core:home")).status_code == 200


def test_an_administrator_ends_the_sessions_of_a_colleague_from_the_admin(
    logged_in_client, nurse_a
):
    superuser = UserFactory(username="admin.si", is_staff=True, is_superuser=True)
    admin = logged_in_client(superuser)
    tablet = logged_in_client(nurse_a)

    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "end_sessions", "_selected_action": [nurse_a.pk]},
        follow=True,
    )

    assert "déconnecté(s) de tous leurs appareils" in response.content.decode()
    assert tablet.get(reverse("core:home"))["Location"] == reverse("accounts:login")
    assert AccessEvent.objects.filter(
        user=superuser, action=AccessAction.SESSION, object_id=str(nurse_a.public_id)
    ).exists()
    # The administrator's own session is untouched.
    assert admin.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_logging_out_requires_a_post(logged_in_client, nurse_a):
    nurse = logged_in_client(nurse_a)

    assert nurse.get(reverse("accounts:logout_everywhere")).status_code == 405
    assert nurse.get(reverse("core:home")).status_code == 200


def test_an_anonymous_visitor_is_sent_to_the_login_page():
    response = Client().get(reverse("core:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
