"""Headers and markup under the strict Content-Security-Policy (issue 10, finding 8)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "dui"
# Rendered by WeasyPrint into PDFs, never by a browser: their <style> is theirs.
PDF_TEMPLATES = ("_pdf_base.html", "/letters/contract.html")


def test_every_page_carries_the_csp_and_the_permissions_policy(client):
    response = client.get(reverse("accounts:login"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_a_page_showing_a_persons_record_is_never_stored_by_the_browser(
    logged_in_client, nurse_a, resident_a
):
    response = logged_in_client(nurse_a).get(
        reverse("people:record", kwargs={"person_id": resident_a.public_id})
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_home_page_and_lists_are_not_stored_either(logged_in_client, nurse_a):
    for name in ("core:home", "people:list"):
        assert "no-store" in logged_in_client(nurse_a).get(reverse(name))["Cache-Control"]


def test_no_template_holds_an_inline_script_an_event_handler_or_a_style_attribute():
    offences = []
    for path in sorted(TEMPLATES.rglob("templates/**/*.html")):
        if any(str(path).endswith(name) for name in PDF_TEMPLATES):
            continue
        text = path.read_text()
        checks = {
            "inline script": re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text),
            "event handler": re.search(r"\son[a-z]+\s*=", text),
            "style attribute": re.search(r"\sstyle\s*=", text),
            "<style> element": re.search(r"<style[\s>]", text),
            "hx-on": re.search(r"\shx-on", text),
            "javascript: URL": re.search(r"javascript:", text),
        }
        offences += [
            f"{path.relative_to(TEMPLATES)}: {what}" for what, found in checks.items() if found
        ]
    assert not offences, "The CSP refuses these:\n  " + "\n  ".join(offences)
