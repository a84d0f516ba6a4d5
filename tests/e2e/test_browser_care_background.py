"""The care background on a tablet held upright (820×1180, issue 13 item 9).

Camille Roussel, the demo nurse of Les Lilas, opens the allergies of a resident nobody has
asked about yet: the header says « Allergies non renseignées ». She checks with the family,
records « aucune allergie connue », and the header now says who checked and when. She then
adds the resident's upper denture, marked with her name, and finds it in the record.
"""

import re

from playwright.sync_api import Page, expect

from dui.core import dates
from tests.e2e.browser import demo_log_in, field, seed_demo_staff
from tests.e2e.conftest import TABLET_PORTRAIT
from tests.factories import CareTeamMembershipFactory, PersonFactory

ALLERGY = re.compile("allergie", re.IGNORECASE)


def test_a_nurse_records_no_known_allergy_and_dentures_on_a_tablet(new_page, settings):
    users = seed_demo_staff(settings)
    nurse = users["ide.tilleuls"]
    unit = nurse.assignments.get().unit
    resident = PersonFactory(birth_name="Garnier", first_names="Odette")
    CareTeamMembershipFactory(person=resident, establishment=unit.establishment, unit=unit)
    page: Page = new_page(TABLET_PORTRAIT)
    demo_log_in(page, nurse)

    page.goto(f"/usagers/{resident.public_id}/soins/allergies/")
    allergy_badge = page.get_by_test_id("header-badge").filter(has_text=ALLERGY)
    expect(allergy_badge).to_have_text("Allergies non renseignées")

    page.get_by_role("link", name="Aucune allergie connue").click()
    page.get_by_role("button", name="Confirmer : aucune allergie connue").click()

    checked = dates.today().strftime("%d/%m/%Y")
    expect(allergy_badge).to_have_text(
        f"Pas d'allergie connue (vérifié le {checked} par C. Roussel)"
    )

    page.get_by_role("link", name="Appareils, régime, directives anticipées").click()
    page.get_by_role("link", name="Ajouter un appareil").click()
    page.get_by_label("Prothèse dentaire du haut").check()
    page.get_by_label(field("Précisions")).fill("complète")
    page.get_by_label("Marqué au nom de la personne").check()
    page.get_by_role("button", name="Enregistrer").click()

    device = page.get_by_test_id("device")
    expect(device).to_contain_text("Prothèse dentaire du haut")
    expect(device).to_contain_text("complète")
    expect(device).to_contain_text("marqué au nom")
