"""Accessibility as a test (issue 12, item 8): axe-core finds no serious or critical violation
(WCAG 2.1 A/AA, the RGAA's reference) on the main screens of every profession."""

from playwright.sync_api import Page, expect

from tests.admissions.helpers import new_application
from tests.e2e.axe import assert_no_serious_violations, serious_violations
from tests.e2e.browser import log_in, open_user_menu


def visit(page: Page, url: str) -> Page:
    response = page.goto(url)
    assert response.status == 200, f"{url} : {response.status}"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return page


def test_the_check_catches_a_control_whose_name_does_not_contain_its_visible_text(page):
    # The user menu as it was before issue 12: « Menu de l'utilisateur » for « Claire Martin ».
    page.set_content(
        '<html lang="fr"><head><title>t</title></head><body><main><h1>t</h1>'
        '<button aria-label="Menu de l\'utilisateur">Claire Martin</button></main></body></html>'
    )

    assert [v["id"] for v in serious_violations(page)] == ["label-content-name-mismatch"]


def test_the_login_page_has_no_serious_accessibility_violation(page):
    visit(page, "/compte/connexion/")

    assert_no_serious_violations(page)


def test_the_home_page_of_each_profession_has_no_serious_accessibility_violation(
    new_page, nurse_a, aide_a, doctor_a, secretary_a, director_a, resident_a
):
    for user in (nurse_a, aide_a, doctor_a, secretary_a, director_a):
        page = log_in(new_page(), user)

        assert_no_serious_violations(page)
        # The user menu, open, then a step of the menu, open.
        open_user_menu(page)
        expect(page.get_by_role("button", name="Se déconnecter", exact=True)).to_be_visible()
        assert_no_serious_violations(page)
        page.keyboard.press("Escape")
        page.get_by_role("navigation", name="Navigation principale").get_by_role(
            "button"
        ).last.click()
        assert_no_serious_violations(page)


def test_the_nurses_screens_have_no_serious_accessibility_violation(page, nurse_a, resident_a):
    log_in(page, nurse_a)
    record = f"/usagers/{resident_a.public_id}/"

    # Search results, as they drop under the search box.
    page.get_by_role("searchbox", name="Rechercher une personne").fill("lefeb")
    expect(
        page.locator("#search-results").get_by_role("link", name=resident_a.display_name)
    ).to_be_visible()
    assert_no_serious_violations(page)

    for url in (
        record,
        f"{record}entourage/",
        f"{record}soins/allergies/",
        f"{record}evaluations/mna_sf/nouvelle/",
        f"{record}evaluations/aggir/nouvelle/",
        "/usagers/evaluations/a-faire/",
    ):
        visit(page, url)
        assert_no_serious_violations(page)


def test_the_secretarys_screens_have_no_serious_accessibility_violation(page, secretary_a, ehpad_a):
    application = new_application(secretary_a, ehpad_a)
    log_in(page, secretary_a)

    for url in (
        f"/admissions/demandes/{application.public_id}/",
        "/admissions/liste-attente/",
        "/admissions/tableau/",
    ):
        visit(page, url)
        assert_no_serious_violations(page)


def test_the_directors_screens_have_no_serious_accessibility_violation(
    page, director_a, resident_a
):
    log_in(page, director_a)

    for url in (
        "/pilotage/gmp/",
        "/acces/journal/professionnels/",
        f"/acces/journal/usager/{resident_a.public_id}/",
        "/acces/exceptionnels/",
    ):
        visit(page, url)
        assert_no_serious_violations(page)
