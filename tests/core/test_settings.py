"""Settings fail loudly on bad values; production refuses insecure ones.

Each case imports the settings in a fresh interpreter so that this process keeps its own.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "k8#Zq2!vR7pL@x4Wn9$tB3mY6&cH1jF5dS0gA8eU2iO7rT4yP9"
SETTINGS_VARIABLES = [
    "SECRET_KEY",
    "DEBUG",
    "DUI_DEMO_MODE",
    "ACCESS_JOURNAL_RETENTION_DAYS",
    "SESSION_IDLE_LOCK_MINUTES",
    "SESSION_ABSOLUTE_HOURS",
    "BREAK_GLASS_HOURS",
    "ACCESS_WINDOW_DAYS",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "DUI_JOURNAL_KEY",
    "DUI_JOURNAL_CHECKPOINT_DIR",
]
GOOD_JOURNAL = {
    "DUI_JOURNAL_KEY": "journal-Yt7#pQ2!mW9xZ4@kL8vB3nR6sD1fG5hJ0",
    "DUI_JOURNAL_CHECKPOINT_DIR": "/srv/dui-points-de-controle",
}
PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "SESSION_COOKIE_SECURE": getattr(settings, "SESSION_COOKIE_SECURE", None),
    "CSRF_COOKIE_SECURE": getattr(settings, "CSRF_COOKIE_SECURE", None),
    "SECURE_HSTS_SECONDS": getattr(settings, "SECURE_HSTS_SECONDS", None),
    "SECURE_SSL_REDIRECT": getattr(settings, "SECURE_SSL_REDIRECT", None),
    "DEBUG": settings.DEBUG,
    "DUI_DEMO_MODE": settings.DUI_DEMO_MODE,
    "ACCESS_JOURNAL_RETENTION_DAYS": settings.ACCESS_JOURNAL_RETENTION.days,
}))
"""


def load_settings(module: str, **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(variables, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(  # noqa: S603 — our own interpreter and probe
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def loaded(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refused(result: subprocess.CompletedProcess, message: str) -> None:
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


# --- Production -------------------------------------------------------------------------------


def test_production_refuses_to_start_with_the_default_secret_key():
    refused(load_settings("config.settings.prod"), "SECRET_KEY")


def test_production_refuses_a_short_secret_key():
    refused(
        load_settings("config.settings.prod", SECRET_KEY="trop-court", **GOOD_JOURNAL), "SECRET_KEY"
    )


def test_production_refuses_to_start_without_its_own_journal_key():
    refused(
        load_settings(
            "config.settings.prod",
            SECRET_KEY=GOOD_SECRET,
            DUI_JOURNAL_CHECKPOINT_DIR="/srv/dui-points-de-controle",
        ),
        "DUI_JOURNAL_KEY",
    )
    refused(
        load_settings(
            "config.settings.prod",
            SECRET_KEY=GOOD_SECRET,
            DUI_JOURNAL_KEY=GOOD_SECRET,
            DUI_JOURNAL_CHECKPOINT_DIR="/srv/dui-points-de-controle",
        ),
        "distinct from SECRET_KEY",
    )


def test_production_refuses_to_start_without_a_checkpoint_directory():
    refused(
        load_settings(
            "config.settings.prod",
            SECRET_KEY=GOOD_SECRET,
            DUI_JOURNAL_KEY=GOOD_JOURNAL["DUI_JOURNAL_KEY"],
        ),
        "DUI_JOURNAL_CHECKPOINT_DIR",
    )


def test_production_refuses_the_demo_mode_even_with_a_proper_secret():
    result = load_settings("config.settings.prod", SECRET_KEY=GOOD_SECRET, DUI_DEMO_MODE="true")

    refused(result, "DUI_DEMO_MODE")


def test_production_refuses_debug():
    result = load_settings("config.settings.prod", SECRET_KEY=GOOD_SECRET, DEBUG="true")

    refused(result, "DEBUG")


def test_production_loads_with_a_proper_secret_and_secures_its_cookies():
    values = loaded(load_settings("config.settings.prod", SECRET_KEY=GOOD_SECRET, **GOOD_JOURNAL))

    assert values["DEBUG"] is False
    assert values["DUI_DEMO_MODE"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] > 0
    assert values["SECURE_SSL_REDIRECT"] is True


def test_production_accepts_the_demo_mode_explicitly_off():
    result = load_settings(
        "config.settings.prod", SECRET_KEY=GOOD_SECRET, DUI_DEMO_MODE="false", **GOOD_JOURNAL
    )

    assert loaded(result)["DUI_DEMO_MODE"] is False


# --- Values from the environment --------------------------------------------------------------


@pytest.mark.parametrize("days", ["181", "30", "1099", "3650", "-1"])
def test_a_journal_retention_outside_six_months_to_three_years_is_refused(days):
    result = load_settings("config.settings.test", ACCESS_JOURNAL_RETENTION_DAYS=days)

    refused(result, "ACCESS_JOURNAL_RETENTION_DAYS must be between 182 and 1098")


@pytest.mark.parametrize("days", ["182", "365", "1098"])
def test_a_journal_retention_within_the_cnil_range_is_accepted(days):
    result = load_settings("config.settings.test", ACCESS_JOURNAL_RETENTION_DAYS=days)

    assert loaded(result)["ACCESS_JOURNAL_RETENTION_DAYS"] == int(days)


def test_a_journal_retention_that_is_not_a_number_is_refused():
    result = load_settings("config.settings.test", ACCESS_JOURNAL_RETENTION_DAYS="un an")

    refused(result, "ACCESS_JOURNAL_RETENTION_DAYS")


def test_a_boolean_that_is_neither_true_nor_false_is_refused():
    result = load_settings("config.settings.test", DEBUG="peut-être")

    refused(result, "DEBUG")


def test_the_test_settings_keep_the_demo_mode_off_whatever_the_environment():
    assert (
        loaded(load_settings("config.settings.test", DUI_DEMO_MODE="true"))["DUI_DEMO_MODE"]
        is False
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SESSION_IDLE_LOCK_MINUTES", "0"),
        ("SESSION_IDLE_LOCK_MINUTES", "240"),
        ("SESSION_ABSOLUTE_HOURS", "72"),
        ("BREAK_GLASS_HOURS", "0"),
        ("BREAK_GLASS_HOURS", "720"),
        ("ACCESS_WINDOW_DAYS", "-5"),
    ],
)
def test_an_unsafe_access_or_session_setting_is_refused_at_start(variable, value):
    result = load_settings("config.settings.test", **{variable: value})

    refused(result, f"{variable} must be between")
