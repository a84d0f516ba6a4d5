"""Issue 13, « Done when » (the notes' share), on a tablet held upright (820×1180): the demo
aide-soignante of « Les Lilas » opens her unit's handover, writes an important note for a
resident in a few taps; the nurse of the next shift (a second login: the handover window holds
the current shift too) sees it first, taps « Lu », and it folds away."""

import re

import pytest
from playwright.sync_api import expect

from dui.care.notes.models import Note
from dui.core import dates
from dui.demo import data as demo_data
from dui.demo.seeding import DemoSeeder
from dui.people.models import Sex
from dui.stays.models import Stay
from tests.e2e.axe import assert_no_serious_violations
from tests.e2e.browser import demo_log_in, open_menu_entry
from tests.e2e.conftest import TABLET_PORTRAIT
from tests.factories import CareTeamMembershipFactory, PersonFactory, days_ago, profession


@pytest.fixture
def demo(settings):
    settings.DUI_DEMO_MODE = True
    for plan in demo_data.STAFF:
        profession(plan.profession)
    seeder = DemoSeeder()
    establishments = seeder.seed_organisation()
    users = seeder.seed_staff()
    tilleuls = establishments["tilleuls"]
    lilas = tilleuls.units["Les Lilas"]
    odette = PersonFactory(birth_name="Lemaire", first_names="Odette", sex=Sex.FEMALE)
    CareTeamMembershipFactory(person=odette, establishment=tilleuls.establishment, unit=lilas)
    stay = Stay.objects.create(
        person=odette,
        establishment=tilleuls.establishment,
        unit=lilas,
        place=lilas.places.order_by("label").first(),
        kind="permanent",
        started_on=days_ago(40),
    )
    # A plain note written just before: the important one must still come first.
    Note.objects.create(
        person=odette,
        establishment=tilleuls.establishment,
        unit=lilas,
        stay=stay,
        focus_text="Sommeil",
        data="A bien dormi.",
        author=users["ide.tilleuls"],
        occurred_at=dates.now(),
    )
    return {"users": users, "odette": odette}


def test_the_carer_writes_an_important_note_and_the_next_nurse_reads_it_first(new_page, demo):
    carer = demo_log_in(new_page(viewport=TABLET_PORTRAIT), demo["users"]["as.tilleuls"])
    open_menu_entry(carer, "Relève")
    expect(carer.get_by_role("heading", level=1)).to_contain_text("Relève — Les Lilas")

    carer.get_by_role("link", name=re.compile(r"Odette.*Nouvelle transmission")).click()
    carer.get_by_text("Chute", exact=True).click()
    carer.get_by_label("Données").fill("Retrouvée assise au sol près du lit, pas de plainte.")
    carer.get_by_label("Actions").fill("Relevée à deux, IDE prévenue.")
    carer.get_by_label("Important — à transmettre").check()
    carer.get_by_role("button", name="Enregistrer la transmission").click()
    expect(carer.get_by_text("Transmission enregistrée : Chute.")).to_be_visible()
    expect(carer.get_by_role("heading", level=1)).to_contain_text("Relève")

    nurse = demo_log_in(new_page(viewport=TABLET_PORTRAIT), demo["users"]["ide.tilleuls"])
    expect(nurse.get_by_text("1 transmission importante non lue")).to_be_visible()
    open_menu_entry(nurse, "Relève")
    first = nurse.get_by_test_id("handover-note").first
    expect(first).to_contain_text("Chute")
    expect(first).to_contain_text("Important")
    expect(first).to_contain_text("Retrouvée assise au sol")
    assert_no_serious_violations(nurse)

    first.get_by_role("button", name="Lu").click()

    folded = nurse.get_by_test_id("handover-note-read")
    expect(folded).to_contain_text("Chute")
    expect(nurse.get_by_test_id("handover-note")).to_have_count(1)  # the plain note is left
    expect(folded.get_by_text("Retrouvée assise au sol")).to_be_hidden()
