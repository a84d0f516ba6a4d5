"""Issue 13 « Done when » (care plan part), on a tablet held upright (820×1180): the demo
aide-soignante of « Les Lilas » opens « Soins du jour » from the menu, ticks three tasks of her
shift — one of them overdue, traced with its late-entry reason, one double-tapped — and the
overdue count goes down; the double tap gave one record."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from dui.care.models import CareSettings
from dui.care.plan import services
from dui.care.plan.models import CarePlanLine, CareRecord, CareTask
from dui.core import dates
from dui.demo import data as demo_data
from dui.demo.seeding import DemoSeeder
from dui.people.models import Sex
from dui.stays.models import Stay
from tests.e2e.axe import assert_no_serious_violations
from tests.e2e.browser import demo_log_in, open_menu_entry, shifts_around
from tests.e2e.conftest import TABLET_PORTRAIT
from tests.factories import CareTeamMembershipFactory, PersonFactory, profession


@pytest.fixture
def demo(settings):
    settings.DUI_DEMO_MODE = True
    for plan in demo_data.STAFF:
        profession(plan.profession)
    seeder = DemoSeeder()
    tilleuls = seeder.seed_organisation()["tilleuls"]
    users = seeder.seed_staff()
    lilas = tilleuls.units["Les Lilas"]
    odette = PersonFactory(birth_name="Lemaire", first_names="Odette", sex=Sex.FEMALE)
    CareTeamMembershipFactory(person=odette, establishment=tilleuls.establishment, unit=lilas)
    Stay.objects.create(
        person=odette,
        establishment=tilleuls.establishment,
        unit=lilas,
        place=lilas.places.order_by("label").first(),
        kind="permanent",
        started_on=dates.today() - timedelta(days=40),
    )
    nurse = users["ide.tilleuls"]
    now = dates.now()
    starts = shifts_around(now)
    CareSettings.objects.create(
        establishment=tilleuls.establishment,
        morning_starts_at=starts["morning"],
        afternoon_starts_at=starts["afternoon"],
        night_starts_at=starts["night"],
    )
    zone = dates.zone_of()
    for label, ago in (
        ("Toilette complète", 140),  # overdue (window: 2 h)
        ("Proposer à boire", 10),
        ("Change", 5),
    ):
        hour_minute = f"{(now - timedelta(minutes=ago)).astimezone(zone):%H:%M}"
        services.care_plan_line_create(
            acting_user=nurse,
            person=odette,
            data={
                "kind": "other",
                "label": label,
                "instructions": "",
                "profession": profession("as"),
                "times": [hour_minute],
                "every_hours": None,
                "weekdays": 0b1111111,
                "starts_on": dates.today() - timedelta(days=1),
                "ends_on": None,
            },
        )
    # Plans written this morning, before the first of these tasks.
    CarePlanLine.objects.filter(person=odette).update(valid_from=now - timedelta(hours=4))
    services.care_tasks_generate(
        establishment=tilleuls.establishment,
        since=now - timedelta(hours=3),
        until=now + timedelta(hours=1),
    )
    return {"users": users, "odette": odette}


def test_the_carer_ticks_three_tasks_and_the_overdue_count_goes_down(new_page, demo):
    page = demo_log_in(new_page(viewport=TABLET_PORTRAIT), demo["users"]["as.tilleuls"])
    open_menu_entry(page, "Soins du jour")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Soins du jour")
    expect(page.get_by_test_id("overdue-count")).to_have_text("1 en retard")
    assert_no_serious_violations(page)
    rows = page.get_by_test_id("care-task")

    # The overdue toilette: traced with the late-entry reason.
    toilette = rows.filter(has_text="Toilette complète")
    toilette.get_by_role("link", name="Tracer (saisie tardive)…").click()
    toilette.get_by_label("Motif de la saisie tardive (obligatoire)").fill("Urgence chambre 14")
    toilette.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_test_id("overdue-count")).to_have_text("0 en retard")
    expect(rows.filter(has_text="Toilette complète")).to_contain_text("saisie tardive")

    # « Fait » in one tap, then a double tap on the next one.
    rows.filter(has_text="Proposer à boire").get_by_role("button", name="Fait").click()
    expect(rows.filter(has_text="Proposer à boire").get_by_test_id("task-record")).to_be_visible()
    rows.filter(has_text="Change").get_by_role("button", name="Fait").dblclick()
    expect(rows.filter(has_text="Change").get_by_test_id("task-record")).to_be_visible()
    expect(page.get_by_test_id("to-do-count")).to_have_text("0 à faire")

    tasks = CareTask.objects.filter(person=demo["odette"])
    assert CareRecord.objects.filter(task__in=tasks).count() == 3
    assert CareRecord.objects.get(task__line__label="Change").outcome == "done"
