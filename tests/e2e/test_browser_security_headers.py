"""The main screens run under the strict Content-Security-Policy (issue 10, finding 8): no
inline script, no injected style, nothing the browser refuses — a violation would be a broken
button on a nurse's tablet. The nurse of unit A logs in, searches a resident by typing, opens
her record, records an allergy, starts an AGGIR grid (its live result comes by htmx), and is
refused the record of another EHPAD's resident; the browser's console reports no violation,
and every signed-in page is sent with `no-store` and the Permissions-Policy."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.browser import log_in


def test_the_main_screens_raise_no_content_security_policy_violation(
    page, nurse_a, resident_a, resident_b
):
    console = []
    page.on("console", lambda message: console.append(message.text))
    responses = []
    page.on("response", lambda response: responses.append(response))

    login = page.goto("/compte/connexion/")
    policy = login.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    log_in(page, nurse_a)

    # Search by typing: the results come by htmx.
    page.get_by_role("searchbox", name="Rechercher une personne").fill(
        resident_a.birth_name[:4].lower()
    )
    page.locator("#search-results").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(resident_a.display_name)

    # The care tab, and an allergy recorded through its form.
    page.goto(reverse("care:allergy_create", kwargs={"person_id": resident_a.public_id}))
    page.get_by_label("Allergène").fill("Latex")
    page.get_by_label("Environnement (latex, pollen…)").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Allergie enregistrée : Latex.")).to_be_visible()

    # The AGGIR grid: a row's shortcut answers its four adverbs, the GIR is computed by htmx.
    page.goto(
        reverse("assessments:new", kwargs={"person_id": resident_a.public_id, "code": "aggir"})
    )
    page.locator("[data-adverbs]").first.get_by_role(
        "button", name=re.compile(r"^Fait seule? : A$")
    ).click()
    expect(page.get_by_test_id("live-result")).to_be_visible()

    # Another EHPAD's resident: refused, with its reason.
    page.goto(reverse("people:record", kwargs={"person_id": resident_b.public_id}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")

    violations = [
        text
        for text in console
        if "Content Security Policy" in text or "Permissions-Policy" in text
    ]
    assert violations == []
    signed_in_pages = [
        r
        for r in responses
        if r.request.resource_type == "document" and "/compte/connexion/" not in r.url
    ]
    assert signed_in_pages
    for response in signed_in_pages:
        assert "no-store" in response.headers.get("cache-control", ""), response.url
        assert "camera=()" in response.headers.get("permissions-policy", ""), response.url
