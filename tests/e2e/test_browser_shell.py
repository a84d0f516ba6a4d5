"""The shell in the browser (issue 12, items 1 and 6): the steps' menu by touch and keyboard,
and the main screens at 390×844 (phone), 820×1180 (tablet in portrait) and 1366×768 (laptop):
no sideways scrolling of the page, buttons in reach, tables as cards on a phone, the record
header on one line and the tabs on one scrolling row."""

import pytest
from playwright.sync_api import Page, expect

from dui.care.services import allergy_create
from tests.admissions.helpers import new_application
from tests.e2e.browser import log_in
from tests.e2e.conftest import LAPTOP, PHONE, TABLET_PORTRAIT

VIEWPORTS = [
    pytest.param(PHONE, id="phone-390"),
    pytest.param(TABLET_PORTRAIT, id="tablet-820"),
    pytest.param(LAPTOP, id="laptop-1366"),
]


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def nav(page: Page):
    return page.get_by_role("navigation", name="Navigation principale")


def open_in_two_taps(page: Page, entry: str, *, compact: bool) -> None:
    """« Menu » then the entry on a narrow screen; the step then the entry on a wide one."""
    taps = 0
    if compact:
        nav(page).get_by_role("button", name="Menu", exact=True).click()
    else:
        step = (
            nav(page)
            .locator(".mainnav-group")
            .filter(has=page.get_by_role("link", name=entry, exact=True, include_hidden=True))
        )
        step.get_by_role("button").click()
    taps += 1
    nav(page).get_by_role("link", name=entry, exact=True).click()
    taps += 1
    assert taps <= 2


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_nurse_reaches_the_due_assessments_in_two_taps_and_her_screens_fit(
    new_page, viewport, nurse_a, resident_a
):
    allergy_create(
        acting_user=nurse_a,
        person=resident_a,
        data={"substance": "Pénicilline", "kind": "drug", "severity": "severe"},
    )
    page = log_in(new_page(viewport), nurse_a)
    compact = viewport["width"] < 1024
    assert no_sideways_scroll(page), "« Ma journée » déborde"

    # The menu: « Menu » on a narrow screen only; then the entry.
    expect(nav(page).get_by_role("button", name="Menu", exact=True)).to_be_visible(visible=compact)
    open_in_two_taps(page, "Évaluations à faire", compact=compact)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Évaluations à faire")
    assert no_sideways_scroll(page), "la liste des évaluations à faire déborde"
    # The step of the current page is marked.
    expect(nav(page).locator('.mainnav-group-button[aria-current="true"]')).to_have_text("Évaluer")

    # The record: on a phone, the header is one line and the tabs one scrolling row.
    page.goto(f"/usagers/{resident_a.public_id}/soins/allergies/")
    expect(page.get_by_role("heading", level=1)).to_have_text(resident_a.display_name)
    assert no_sideways_scroll(page), "l'onglet des allergies déborde"
    tabs = page.get_by_role("navigation", name="Parties du dossier")
    current_tab = tabs.get_by_role("link", name="Soins")
    expect(current_tab).to_be_in_viewport()
    error_button = page.get_by_role("link", name="Saisie par erreur")
    expect(error_button).to_be_visible()
    error_button.scroll_into_view_if_needed()
    expect(error_button).to_be_in_viewport()
    header = page.locator("#person-header")
    identity = page.get_by_test_id("identity-status")
    cell = page.get_by_test_id("allergy").get_by_role("cell").first
    if viewport is PHONE:
        # One line (the name and « Détails »), and the allergy, which does not wait for a tap.
        details = header.get_by_role("button", name="Détails")
        name = header.get_by_role("heading", level=1)
        assert abs(details.bounding_box()["y"] - name.bounding_box()["y"]) < 20
        allergy = header.get_by_test_id("header-badge").filter(has_text="Pénicilline")
        expect(allergy).to_be_visible()
        assert header.bounding_box()["height"] < 110, "l'en-tête du dossier est replié"
        expect(identity).to_be_hidden()
        details.click()
        expect(details).to_have_attribute("aria-expanded", "true")
        expect(identity).to_be_visible()
        assert tabs.bounding_box()["height"] < 60, "les onglets tiennent sur une ligne"
        assert tabs.evaluate("t => t.scrollWidth > t.clientWidth"), "les onglets défilent"
        # The table is a list of cards, each value under its column's name.
        assert cell.evaluate("td => getComputedStyle(td).display") == "block"
        assert cell.get_attribute("data-label") == "Allergène"
    else:
        expect(identity).to_be_visible()
        expect(header.get_by_role("button", name="Détails")).to_be_hidden()
        assert cell.evaluate("td => getComputedStyle(td).display") == "table-cell"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_directors_and_secretarys_screens_fit_every_width(
    new_page, viewport, director_a, secretary_a, ehpad_a, resident_a
):
    application = new_application(secretary_a, ehpad_a)
    compact = viewport["width"] < 1024

    director = log_in(new_page(viewport), director_a)
    for entry in ("GMP", "Journal des accès", "Accès exceptionnels", "Liste d'attente"):
        open_in_two_taps(director, entry, compact=compact)
        expect(director.get_by_role("heading", level=1)).to_be_visible()
        assert no_sideways_scroll(director), f"« {entry} » déborde"
    for url in (
        f"/usagers/{resident_a.public_id}/",
        f"/usagers/{resident_a.public_id}/entourage/",
        f"/acces/journal/usager/{resident_a.public_id}/",
    ):
        director.goto(url)
        assert no_sideways_scroll(director), f"{url} déborde"

    secretary = log_in(new_page(viewport), secretary_a)
    secretary.goto(f"/admissions/demandes/{application.public_id}/")
    expect(secretary.get_by_role("heading", level=1)).to_be_visible()
    assert no_sideways_scroll(secretary), "la demande d'admission déborde"
    for entry in ("Demandes d'admission", "Demandes à relancer"):
        open_in_two_taps(secretary, entry, compact=compact)
        assert no_sideways_scroll(secretary), f"« {entry} » déborde"


def test_the_steps_open_and_close_with_the_keyboard(new_page, nurse_a):
    page = log_in(new_page(LAPTOP), nurse_a)
    step = nav(page).get_by_role("button", name="Évaluer")
    entry = nav(page).get_by_role("link", name="Évaluations à faire")
    expect(entry).to_be_hidden()

    step.focus()
    page.keyboard.press("Enter")
    expect(step).to_have_attribute("aria-expanded", "true")
    expect(entry).to_be_visible()
    page.keyboard.press("Tab")
    expect(entry).to_be_focused()

    page.keyboard.press("Escape")
    expect(step).to_have_attribute("aria-expanded", "false")
    expect(entry).to_be_hidden()
    expect(step).to_be_focused()

    # One step open at a time; a tap elsewhere closes it.
    step.click()
    other = nav(page).get_by_role("button", name="Usagers et partenaires")
    other.click()
    expect(step).to_have_attribute("aria-expanded", "false")
    expect(other).to_have_attribute("aria-expanded", "true")
    page.mouse.click(LAPTOP["width"] - 20, LAPTOP["height"] - 20)
    expect(other).to_have_attribute("aria-expanded", "false")
