"""On a phone (390×844): the home page of the unit and the search box still work."""

from playwright.sync_api import expect

from tests.e2e.browser import log_in
from tests.factories import PlaceFactory
from tests.stays.factories import StayFactory


def test_on_a_phone_the_home_page_lists_the_unit_and_the_search_box_finds_a_resident(
    phone_page, nurse_a, unit_a, resident_a
):
    # She lives in the unit: the day list shows the persons whose stay is under way there.
    StayFactory(
        person=resident_a, place=PlaceFactory(establishment=unit_a.establishment, unit=unit_a)
    )
    page = log_in(phone_page, nurse_a)

    expect(page.get_by_role("heading", level=1)).to_have_text("Ma journée — Les Glycines")
    expect(page.get_by_role("link", name=resident_a.display_name)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "la page déborde horizontalement sur un téléphone"
    )

    box = page.get_by_role("searchbox", name="Rechercher une personne")
    expect(box).to_be_in_viewport()
    box.click()
    box.fill("lefeb")
    result = page.locator("#search-results").get_by_role("link", name=resident_a.display_name)
    expect(result).to_be_in_viewport()
    result.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(resident_a.display_name)
