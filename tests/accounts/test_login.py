"""Password login: a generic refusal, django-axes counting failures, then a lockout."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from dui.access.models import AccessAction, AccessEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GENERIC_REFUSAL = "Identifiant ou mot de passe incorrect."
LOCKOUT_MESSAGE = "Trop de tentatives infructueuses : la connexion est bloquée pendant"


def post_login(client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def page_without_tokens(response, username: str) -> str:
    """The page as the visitor sees it, with the per-request CSRF token and the typed username
    blanked out."""
    html = response.content.decode().replace(username, "X")
    html = re.sub(r'"X-CSRFToken": "\w+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)


def failures_for(username: str) -> int:
    attempt = AccessAttempt.objects.filter(username=username).first()
    return attempt.failures_since_start if attempt else 0


def test_a_wrong_password_gets_a_generic_message_and_is_counted(client, nurse_a):
    response = post_login(client, "ide.a", "pas-le-bon-mot-de-passe")

    assert response.status_code == 200
    assert GENERIC_REFUSAL in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert failures_for("ide.a") == 1


def test_an_unknown_username_gets_exactly_the_same_message(client, nurse_a):
    known = post_login(client, "ide.a", "pas-le-bon-mot-de-passe")
    unknown = post_login(client, "personne.inconnue", "pas-le-bon-mot-de-passe")

    assert GENERIC_REFUSAL in unknown.content.decode()
    # Nothing in the page tells that one of the two usernames exists.
    assert known.status_code == unknown.status_code == 200
    assert page_without_tokens(known, "ide.a") == page_without_tokens(unknown, "personne.inconnue")
    assert failures_for("personne.inconnue") == 1


def test_after_too_many_failures_the_account_is_locked_out_even_with_the_right_password(
    client, nurse_a
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "ide.a", "pas-le-bon-mot-de-passe")

    response = post_login(client, "ide.a", PASSWORD)

    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_tied_to_the_username_and_another_colleague_still_logs_in(
    client, nurse_a, aide_a
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "ide.a", "pas-le-bon-mot-de-passe")

    response = post_login(client, "as.a", PASSWORD)

    assert response.status_code == 302


def test_a_successful_login_resets_the_failure_count(client, nurse_a):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, "ide.a", "pas-le-bon-mot-de-passe")
    assert failures_for("ide.a") == settings.AXES_FAILURE_LIMIT - 1

    response = post_login(client, "ide.a", PASSWORD)

    assert response.status_code == 302
    assert failures_for("ide.a") == 0
    # A new failure after the reset starts the count again: no lockout.
    client.logout()
    assert post_login(client, "ide.a", "pas-le-bon-mot-de-passe").status_code == 200


def test_a_successful_login_is_journaled_and_goes_on_to_the_second_factor(client, nurse_a):
    response = post_login(client, "ide.a", PASSWORD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    assert AccessEvent.objects.filter(user=nurse_a, action=AccessAction.SESSION).exists()


def test_an_inactive_account_gets_the_generic_message(client):
    UserFactory(username="ancien.salarie", is_active=False)

    response = post_login(client, "ancien.salarie", PASSWORD)

    assert response.status_code == 200
    assert GENERIC_REFUSAL in response.content.decode()
