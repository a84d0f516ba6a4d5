"""What a professional does in the browser, shared by the e2e tests: log in with the password
then the TOTP code, as at the start of a shift."""

import base64
import re
from datetime import datetime, time

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from dui.core import dates
from dui.demo import data as demo_data
from dui.demo.seeding import DemoSeeder
from tests.factories import PASSWORD, profession


def second_factor(user) -> TOTPDevice:
    """Give `user` a confirmed TOTP device, as after enrolment."""
    return TOTPDevice.objects.create(user=user, name="Téléphone de test", confirmed=True)


def code_for(secret: bytes) -> str:
    """The current 6-digit TOTP code of a secret key, as the phone app shows it."""
    return f"{totp(secret):06d}"


def code_for_base32(secret: str) -> str:
    """The same, from the key shown in base32 on the enrolment page."""
    secret = secret.strip().upper()
    return code_for(base64.b32decode(secret + "=" * (-len(secret) % 8)))


def submit_password(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/compte/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def log_in(page: Page, user, password: str = PASSWORD) -> Page:
    """Password, then the code of the user's authenticator app; ends on « Ma journée »."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or second_factor(user)
    submit_password(page, user.username, password)
    expect(page.get_by_role("heading", name="Second facteur")).to_be_visible()
    page.get_by_label("Code à 6 chiffres").fill(code_for(device.bin_key))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ma journée")
    return page


def field(label: str) -> re.Pattern:
    """A form field by its exact label (the label may end with « * » or « : »)."""
    return re.compile(rf"^{re.escape(label)}\W*$")


def seed_demo_staff(settings) -> dict:
    """The demo organisation and its staff (demo mode): {username: user}."""
    settings.DUI_DEMO_MODE = True
    for plan in demo_data.STAFF:
        profession(plan.profession)
    seeder = DemoSeeder()
    seeder.seed_organisation()
    return seeder.seed_staff()


def demo_log_in(page: Page, user) -> Page:
    """A demo login (demo mode: password only); ends on « Ma journée »."""
    submit_password(page, user.username, demo_data.DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ma journée")
    return page


def open_menu_entry(page: Page, entry: str) -> None:
    """Click an entry of the main navigation as a user would (issue 12): on a narrow screen
    open the « Menu », then the step holding the entry, then the entry."""
    nav = page.get_by_role("navigation", name="Navigation principale")
    toggle = nav.get_by_role("button", name="Menu", exact=True)
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    link = nav.get_by_role("link", name=entry, exact=True)
    if not link.is_visible():
        hidden_link = page.get_by_role("link", name=entry, exact=True, include_hidden=True)
        nav.locator(".mainnav-group").filter(has=hidden_link).get_by_role("button").click()
    link.click()


def open_user_menu(page: Page) -> None:
    """The user menu, named by the user's name (WCAG 2.5.3)."""
    page.locator(".user-menu summary").click()


def shifts_around(now: datetime) -> dict:
    """Shift start times putting `now` 2 h 30 into its shift (the live server runs on the real
    clock): an overdue task (2 h 20 ago, window 2 h) and two due ones fit in the same shift."""
    local = now.astimezone(dates.zone_of())
    minutes = local.hour * 60 + local.minute

    def hm(total: int) -> time:
        total %= 24 * 60
        return time(total // 60, total % 60)

    if 160 <= minutes <= 21 * 60:
        return {
            "morning": hm(minutes - 150),
            "afternoon": hm(minutes + 60),
            "night": hm(minutes + 120),
        }
    if minutes > 21 * 60:
        return {"morning": time(0, 5), "afternoon": time(0, 10), "night": hm(minutes - 150)}
    return {"morning": hm(minutes + 60), "afternoon": hm(minutes + 120), "night": hm(minutes - 150)}
