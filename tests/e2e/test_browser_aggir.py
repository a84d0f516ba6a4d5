"""Step 4 (Évaluer) in the browser (issue 5).

Camille Roussel, the demo nurse of « Les Lilas » (EHPAD Les Tilleuls), fills the AGGIR grid of
Mrs Odette Lemaire on a tablet held upright, answering the four adverbs of each variable, and
sees the GIR while filling; she saves it as a draft, since only a physician validates a GIR.
The demo médecin coordonnateur opens the draft and validates it: Mrs Lemaire's header shows
« GIR 2 » and the establishment's GMP counts her.
"""

import re

from playwright.sync_api import Page, expect

from dui.demo import data as demo_data
from dui.demo.seeding import DemoSeeder
from dui.people.models import Sex
from dui.stays.models import Stay
from tests.e2e.browser import submit_password
from tests.factories import CareTeamMembershipFactory, PersonFactory, days_ago, profession

TABLET_PORTRAIT = {"width": 820, "height": 1180}

# A GIR 2 profile (CASF annexe 2-2): coherent and oriented, but needing help for every act of
# daily life. Alimentation: serves herself with help (C), eats alone (A) → B.
ROWS_DONE_ALONE = (
    "coherence_communication",
    "coherence_comportement",
    "orientation_temps",
    "orientation_espace",
    "alimentation_manger",
)


def demo_log_in(page: Page, user) -> Page:
    submit_password(page, user.username, demo_data.DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ma journée")
    return page


def answer_row(page: Page, key: str, *, done_alone: bool) -> None:
    row = page.locator("[data-adverbs]", has=page.locator(f"input[name='{key}__s']"))
    row.get_by_role(
        "button", name=re.compile(r"^Fait seule? : A$") if done_alone else "Ne fait pas : C"
    ).click()


def test_the_nurse_fills_aggir_the_physician_validates_and_the_gmp_counts_it(new_page, settings):
    settings.DUI_DEMO_MODE = True
    for plan in demo_data.STAFF:
        profession(plan.profession)
    seeder = DemoSeeder()
    establishments = seeder.seed_organisation()
    users = seeder.seed_staff()
    tilleuls = establishments["tilleuls"]
    lilas = tilleuls.units["Les Lilas"]
    odette = PersonFactory(birth_name="Lemaire", first_names="Odette", sex=Sex.FEMALE)
    started = days_ago(40)
    CareTeamMembershipFactory(person=odette, establishment=tilleuls.establishment, unit=lilas)
    Stay.objects.create(
        person=odette,
        establishment=tilleuls.establishment,
        unit=lilas,
        place=lilas.places.order_by("label").first(),
        kind="permanent",
        started_on=started,
    )

    nurse = demo_log_in(new_page(viewport=TABLET_PORTRAIT), users["ide.tilleuls"])
    nurse.goto(f"/usagers/{odette.public_id}/evaluations/")
    nurse.get_by_role("link", name="Grille AGGIR").click()
    keys = nurse.locator("[data-adverbs] input[name$='__s']").evaluate_all(
        "inputs => [...new Set(inputs.map(i => i.name.slice(0, -3)))]"
    )
    assert len(keys) == 24
    for key in keys:
        answer_row(nurse, key, done_alone=key in ROWS_DONE_ALONE)
    # The GIR shows while filling (computed by the server from the answers so far).
    expect(nurse.get_by_test_id("live-result")).to_contain_text("GIR 2")
    expect(nurse.get_by_role("button", name="Enregistrer et valider")).to_have_count(0)
    nurse.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(nurse.get_by_text("Brouillon enregistré")).to_be_visible()

    doctor = demo_log_in(new_page(), users["medco.tilleuls"])
    doctor.goto("/pilotage/gmp/")
    expect(doctor.get_by_test_id("gmp-value")).not_to_contain_text("840")
    doctor.goto(f"/usagers/{odette.public_id}/evaluations/")
    doctor.get_by_role("link", name="brouillon du").click()
    doctor.get_by_role("button", name="Enregistrer et valider").click()
    expect(doctor.get_by_test_id("assessment-status")).to_have_text("Validée")
    expect(doctor.get_by_test_id("header-badge").filter(has_text="GIR")).to_have_text("GIR 2")

    # The establishment's GMP now counts her: one person with a GIR, GIR 2 = 840 points.
    doctor.goto("/pilotage/gmp/")
    expect(doctor.get_by_test_id("gmp-value")).to_contain_text("840")
