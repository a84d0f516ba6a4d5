"""Browser tests: Playwright (sync API) drives headless Chromium against pytest-django's
`live_server`, which serves the test database from a thread of this process.

Every test here is marked `e2e`. Without Chromium the whole directory is skipped, with a reason.
Helpers (login, TOTP codes) are in `tests/e2e/browser.py`.
"""

import os
from pathlib import Path

import pytest

from tests.journal_guards import empty_the_journal_for_the_flush

# Playwright's sync API runs an asyncio loop in this thread; the ORM calls made by the test
# (factories, journal queries) would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("DUI_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TABLET = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The three screens issue 12 checks: a phone, a 10-inch tablet held upright, a laptop.
TABLET_PORTRAIT = {"width": 820, "height": 1180}
LAPTOP = {"width": 1366, "height": 768}
DEFAULT_TIMEOUT_MS = 10_000
SKIP_REASON = f"navigateur Chromium absent ({CHROMIUM}) : tests de bout en bout ignorés"

E2E_DIR = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    chromium_missing = not CHROMIUM.is_file()
    for item in items:
        if E2E_DIR not in Path(str(item.path)).parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if chromium_missing:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


# --- Browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """`new_page(viewport=…)` → a page in a fresh browser context (its own cookies and
    session), French locale. Two calls in one test are two people on two devices."""
    contexts = []

    def make(viewport: dict = TABLET):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale="fr-FR",
            timezone_id="Europe/Paris",
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page on a 10-inch tablet in landscape (1280×800), the usual device of a care unit."""
    return new_page()


@pytest.fixture
def phone_page(new_page):
    """A page on a phone (390×844)."""
    return new_page(PHONE)


# --- Database ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _let_the_test_database_be_flushed(transactional_db):
    """`live_server` needs `transactional_db`, which empties every table with a flush after the
    test; the append-only journal refuses it while it holds entries (tests/journal_guards.py)."""
    yield
    empty_the_journal_for_the_flush()
