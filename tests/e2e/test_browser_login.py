"""Logging in from the browser: password, then the second factor (DESIGN §4, CNIL: health data
are never opened with a password alone)."""

import re

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from tests.e2e.browser import (
    code_for_base32,
    log_in,
    open_menu_entry,
    open_user_menu,
    second_factor,
    submit_password,
)

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


def log_out(page: Page) -> None:
    open_user_menu(page)
    page.get_by_role("button", name="Se déconnecter", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")


def test_the_password_alone_shows_no_qr_code_and_a_wrong_enrolment_code_is_refused(page, nurse_a):
    submit_password(page, nurse_a.username)

    expect(page.get_by_role("heading", level=1)).to_have_text("Activer le second facteur")
    expect(page.locator(".qr svg")).to_have_count(0)
    expect(page.get_by_test_id("totp-secret")).to_have_count(0)
    page.get_by_label("Code d'enrôlement").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_text("Code d'enrôlement incorrect.")).to_be_visible()
    expect(page.locator(".qr svg")).to_have_count(0)
    assert not TOTPDevice.objects.filter(user=nurse_a).exists()


def test_a_professional_enrols_with_the_directors_code_and_logs_in_once_with_a_recovery_code(
    new_page, director_a, nurse_a
):
    # The director issues the code from her page and reads it once.
    director = log_in(new_page(), director_a)
    open_menu_entry(director, "Second facteur : professionnels")
    row = director.locator(f"tr[data-username='{nurse_a.username}']")
    row.get_by_role("button", name="Émettre un code d'enrôlement").click()
    expect(director.get_by_role("heading", level=1)).to_have_text("Code d'enrôlement")
    enrolment_code = director.get_by_test_id("enrolment-code").inner_text()

    # The nurse: password, then the code she was given, then her phone.
    page = new_page()
    submit_password(page, nurse_a.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer le second facteur")
    page.get_by_label("Code d'enrôlement").fill(enrolment_code)
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Code à 6 chiffres").fill(code_for_base32(secret))
    page.get_by_role("button", name="Activer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de secours")
    expect(page.get_by_role("status")).to_contain_text("Second facteur activé.")
    recovery_codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(recovery_codes) == 10
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ma journée")
    assert TOTPDevice.objects.filter(user=nurse_a, confirmed=True).count() == 1

    # Phone left at home: a recovery code, once.
    log_out(page)
    submit_password(page, nurse_a.username)
    use_recovery_code(page, recovery_codes[0])
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ma journée")
    expect(page.get_by_text("Code de secours accepté : il vous en reste 9.")).to_be_visible()

    log_out(page)
    submit_password(page, nurse_a.username)
    use_recovery_code(page, recovery_codes[0])
    expect(page.get_by_text("Code de secours incorrect ou déjà utilisé.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Second facteur")


def use_recovery_code(page: Page, code: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Second facteur")
    page.get_by_text("Téléphone indisponible ? Utiliser un code de secours").click()
    page.get_by_label("Code de secours").fill(code)
    page.get_by_role("button", name="Utiliser ce code de secours").click()
