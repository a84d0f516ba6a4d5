"""The idle lock of a shared tablet: after inactivity the screen is covered, what was being
typed stays in place, and the password alone unlocks it."""

from datetime import timedelta

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from dui.access.models import AccessAction, AccessEvent, BreakGlass
from dui.accounts import middleware as session_policy
from tests.e2e.browser import log_in
from tests.factories import PASSWORD

IDLE_LOCK = timedelta(seconds=6)
# The page checks for inactivity every 5 s: the lock comes between 6 and 11 s after the last key.
LOCK_APPEARS_WITHIN_MS = 20_000
REASON = "Malaise au repas, l'infirmière de nuit a besoin du traitement en cours."


@pytest.fixture
def short_idle_lock(monkeypatch):
    """A 6-second idle lock. Settings are read per request, so the live server's thread sees
    the override. The server refreshes « last seen » at most every 20 s, which is longer than
    this lock: refresh it on every request, as a 15-minute lock effectively does."""
    monkeypatch.setattr(session_policy, "_TOUCH_EVERY_SECONDS", 0)
    with override_settings(SESSION_IDLE_LOCK=IDLE_LOCK):
        yield


def test_the_idle_lock_covers_the_form_keeps_the_typed_text_and_unlocks_with_the_password(
    page, nurse_a, resident_b, short_idle_lock
):
    log_in(page, nurse_a)
    page.goto(f"/usagers/{resident_b.public_id}/")
    # The refusal says why, and is journaled on the person, before the emergency access.
    expect(page.get_by_text("Vous n'avez pas accès au dossier de cette personne")).to_be_visible()
    assert AccessEvent.objects.filter(
        action=AccessAction.DENIED, user=nurse_a, person=resident_b
    ).exists()
    reason = page.get_by_label("Motif de l'accès exceptionnel")
    reason.fill(REASON)

    lock = page.get_by_role("dialog", name="Session verrouillée")
    expect(lock).to_be_visible(timeout=LOCK_APPEARS_WITHIN_MS)
    expect(reason).to_have_value(REASON)
    # Locked on the server too, not only on screen: any page leads to the lock screen.
    response = page.request.get("/", max_redirects=0)
    assert response.status == 302
    assert response.headers["location"].startswith("/compte/verrou/")

    lock.get_by_label("Mot de passe").fill("pas-le-bon-mot-de-passe")
    lock.get_by_role("button", name="Déverrouiller").click()
    expect(lock.get_by_text("Mot de passe incorrect.")).to_be_visible()
    expect(lock).to_be_visible()

    lock.get_by_label("Mot de passe").fill(PASSWORD)
    lock.get_by_role("button", name="Déverrouiller").click()
    expect(lock).to_be_hidden()
    expect(reason).to_have_value(REASON)

    page.get_by_role("button", name="Ouvrir l'accès exceptionnel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(resident_b.display_name)
    assert BreakGlass.objects.get(user=nurse_a, person=resident_b).reason == REASON
