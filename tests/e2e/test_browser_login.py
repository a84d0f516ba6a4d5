"""Logging in from the browser: password, then the second factor (DESIGN §4, CNIL: health data
are never opened with a password alone)."""

import re

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.e2e.browser import code_for_base32, second_factor, submit_password

GENERIC_FAILURE = "Identifiant ou mot de passe incorrect."


def test_a_wrong_password_shows_the_generic_message_and_stays_on_the_login_page(page, nurse_a):
    submit_password(page, nurse_a.username, "pas-le-bon-mot-de-passe")

    expect(page.get_by_text(GENERIC_FAILURE)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/compte/connexion/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")


def test_an_unknown_username_gets_the_same_message_as_a_wrong_password(page, nurse_a):
    submit_password(page, "personne.inconnue")

    expect(page.get_by_text(GENERIC_FAILURE)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/compte/connexion/$"))


def test_the_password_alone_opens_nothing_and_a_wrong_code_is_refused(page, nurse_a, resident_a):
    second_factor(nurse_a)
    submit_password(page, nurse_a.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Second facteur")

    page.goto(f"/usagers/{resident_a.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Second facteur")
    expect(page.get_by_text(resident_a.display_name)).to_have_count(0)

    page.get_by_label("Code à 6 chiffres").fill("000000")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Code incorrect ou expiré.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Second facteur")


def test_a_professional_without_second_factor_enrols_one_at_first_login(page, nurse_a):
    submit_password(page, nurse_a.username)

    expect(page.get_by_role("heading", level=1)).to_have_text("Activer le second facteur")
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code à 6 chiffres").fill(code_for_base32(secret))
    page.get_by_role("button", name="Activer").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Ma journée")
    expect(page.get_by_role("status")).to_contain_text("Second facteur activé.")
    assert TOTPDevice.objects.filter(user=nurse_a, confirmed=True).count() == 1
