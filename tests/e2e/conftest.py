"""Browser tests: Playwright (sync API) drives headless Chromium against pytest-django's
`live_server`, which serves the test database from a thread of this process.

Every test here is marked `e2e`. Without Chromium the whole directory is skipped, with a reason.
Helpers (login, TOTP codes) are in `tests/e2e/browser.py`.
"""

import importlib
import os
from pathlib import Path

import pytest
from django.db import connection

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

# The delete guards as the latest migration that (re)defines each of them left them.
_GUARD_MIGRATIONS = {
    "access_journal_no_delete": "0004_journal_purge_guards",
    "access_anchor_no_delete": "0003_journal_append_only",
}
_SQLITE_DELETE_GUARDS = tuple(_GUARD_MIGRATIONS)


@pytest.fixture(autouse=True)
def _let_the_test_database_be_flushed(transactional_db):
    """`live_server` needs `transactional_db`, which empties every table with a flush after the
    test. On SQLite the flush is a DELETE, which the append-only journal's triggers refuse
    (PostgreSQL's TRUNCATE does not fire them). Before the flush, empty the journal with its
    guards lifted for a moment, then put the guards back: they hold again for the next test."""
    yield
    if connection.vendor != "sqlite":
        return
    guards = [
        statement
        for name, migration in _GUARD_MIGRATIONS.items()
        for statement in importlib.import_module(f"dui.access.migrations.{migration}").SQLITE
        if f"CREATE TRIGGER {name} " in statement
    ]
    with connection.cursor() as cursor:
        for name in _SQLITE_DELETE_GUARDS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute("DELETE FROM access_accessevent")
        cursor.execute("DELETE FROM access_journalanchor")
        for statement in guards:
            cursor.execute(statement)
