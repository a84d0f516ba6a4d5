"""Issue 13 « Done when », the whole shift on a tablet held upright (820×1180): Nadia Benhamou,
the demo aide-soignante of « Les Lilas », opens her unit's shift screen (« Soins du jour »); from
Odette's card she weighs her — 66 kg after 70 kg a month ago, a 5.7 % loss that raises
« dénutrition à confirmer » (HAS-FFN 2021: ≥ 5 % in one month) — writes a targeted note flagged
important, and ticks her three care tasks, double-clicking one. Camille Roussel, the nurse of the
next shift (a second login: the handover shows what was written since the start of the previous
shift), opens the handover: the important note comes first, the alert is listed above it, and she
acknowledges the alert from there."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from dui.access.models import AccessAction, AccessEvent
from dui.care.models import CareSettings
from dui.care.notes.models import Note
from dui.care.observations.models import CareAlert, Observation
from dui.care.plan import services
from dui.care.plan.models import CarePlanLine, CareRecord, CareTask
from dui.core import dates
from dui.demo import data as demo_data
from dui.demo.seeding import DemoSeeder
from dui.people.models import Sex
from dui.stays.models import Stay
from tests.care.observations.factories import ObservationFactory
from tests.e2e.axe import assert_no_serious_violations
from tests.e2e.browser import demo_log_in, field, open_menu_entry, shifts_around
from tests.e2e.conftest import TABLET_PORTRAIT
from tests.factories import CareTeamMembershipFactory, PersonFactory, days_ago, profession

TASKS = ("Aide au lever", "Proposer à boire", "Change")


@pytest.fixture
def unit(settings):
    settings.DUI_DEMO_MODE = True
    for plan in demo_data.STAFF:
        profession(plan.profession)
    seeder = DemoSeeder()
    tilleuls = seeder.seed_organisation()["tilleuls"]
    users = seeder.seed_staff()
    lilas = tilleuls.units["Les Lilas"]
    establishment = tilleuls.establishment
    odette = PersonFactory(
        birth_name="Lemaire",
        first_names="Odette",
        sex=Sex.FEMALE,
        birth_date=dates.today().replace(year=dates.today().year - 86, day=1),
    )
    CareTeamMembershipFactory(person=odette, establishment=establishment, unit=lilas)
    Stay.objects.create(
        person=odette,
        establishment=establishment,
        unit=lilas,
        place=lilas.places.order_by("label").first(),
        kind="permanent",
        started_on=days_ago(400),
    )
    ObservationFactory(person=odette, measure="height", value=Decimal(160))
    ObservationFactory(
        person=odette, value=Decimal(70), occurred_at=dates.now() - timedelta(days=30)
    )
    now = dates.now()
    starts = shifts_around(now)
    CareSettings.objects.create(
        establishment=establishment,
        morning_starts_at=starts["morning"],
        afternoon_starts_at=starts["afternoon"],
        night_starts_at=starts["night"],
    )
    zone = dates.zone_of()
    for label, ago in zip(TASKS, (30, 10, 5), strict=True):
        services.care_plan_line_create(
            acting_user=users["ide.tilleuls"],
            person=odette,
            data={
                "kind": "other",
                "label": label,
                "instructions": "",
                "profession": profession("as"),
                "times": [f"{(now - timedelta(minutes=ago)).astimezone(zone):%H:%M}"],
                "every_hours": None,
                "weekdays": 0b1111111,
                "starts_on": dates.today() - timedelta(days=1),
                "ends_on": None,
            },
        )
    CarePlanLine.objects.filter(person=odette).update(valid_from=now - timedelta(hours=4))
    services.care_tasks_generate(
        establishment=establishment, since=now - timedelta(hours=3), until=now + timedelta(hours=1)
    )
    return {"users": users, "odette": odette}


def test_a_carers_shift_reaches_the_next_nurse_on_handover(new_page, unit):
    users, odette = unit["users"], unit["odette"]
    carer = demo_log_in(new_page(viewport=TABLET_PORTRAIT), users["as.tilleuls"])
    open_menu_entry(carer, "Soins du jour")
    expect(carer.get_by_role("heading", level=1)).to_contain_text("Les Lilas")
    expect(carer.get_by_test_id("to-do-count")).to_have_text("3 à faire")
    assert_no_serious_violations(carer)

    # The weight, from Odette's card, back to the shift screen with the alert said aloud.
    carer.get_by_role("link", name="Mesure — LEMAIRE Odette").click()
    expect(carer.get_by_text("Dernier : 70 kg")).to_be_visible()
    carer.get_by_label("Poids (kg)").fill("66")
    carer.get_by_role("button", name="Enregistrer").click()
    expect(carer.get_by_role("heading", level=1)).to_contain_text("Soins du jour")
    expect(carer.get_by_text("Alerte : Dénutrition à confirmer")).to_be_visible()

    # The targeted note, flagged important, in a few taps.
    carer.get_by_role("link", name="Transmission — LEMAIRE Odette").click()
    carer.get_by_text("Alimentation / hydratation", exact=True).click()
    carer.get_by_label("Données").fill("A perdu 4 kg en un mois, mange la moitié de ses repas.")
    carer.get_by_label("Actions").fill("Pesée faite, collation proposée.")
    carer.get_by_label("Important — à transmettre").check()
    carer.get_by_role("button", name="Enregistrer la transmission").click()
    expect(
        carer.get_by_text("Transmission enregistrée : Alimentation / hydratation.")
    ).to_be_visible()
    expect(carer.get_by_role("heading", level=1)).to_contain_text("Soins du jour")

    # Three tasks ticked; the last one double-clicked.
    rows = carer.get_by_test_id("care-task")
    for label in TASKS[:2]:
        rows.filter(has_text=label).get_by_role("button", name="Fait").click()
        expect(rows.filter(has_text=label).get_by_test_id("task-record")).to_be_visible()
    rows.filter(has_text=TASKS[2]).get_by_role("button", name="Fait").dblclick()
    expect(rows.filter(has_text=TASKS[2]).get_by_test_id("task-record")).to_be_visible()
    expect(carer.get_by_test_id("to-do-count")).to_have_text("0 à faire")

    # The nurse of the next shift: note first, alert above, acknowledged from the handover.
    nurse = demo_log_in(new_page(viewport=TABLET_PORTRAIT), users["ide.tilleuls"])
    open_menu_entry(nurse, "Relève")
    alert_row = nurse.get_by_test_id("handover-alert")
    expect(alert_row).to_have_count(1)
    expect(alert_row).to_contain_text("Dénutrition à confirmer")
    expect(alert_row).to_contain_text("LEMAIRE Odette")
    first = nurse.get_by_test_id("handover-note").first
    expect(first).to_contain_text("Alimentation / hydratation")
    expect(first).to_contain_text("Important")
    expect(first).to_contain_text("A perdu 4 kg en un mois")
    assert_no_serious_violations(nurse)

    alert_row.get_by_role("link", name=re.compile("Prendre en compte")).click()
    nurse.get_by_label(field("Ce qui a été fait")).fill(
        "Médecin prévenu ; enrichissement des repas, critère étiologique à évaluer demain."
    )
    nurse.get_by_role("button", name="Prendre en compte").click()
    expect(nurse.get_by_role("heading", level=1)).to_contain_text("Relève — Les Lilas")
    expect(nurse.get_by_text("Alerte prise en compte : Dénutrition à confirmer.")).to_be_visible()
    expect(nurse.get_by_test_id("handover-alert")).to_have_count(0)

    weight = Observation.objects.get(
        person=odette, measure="weight", created_by=users["as.tilleuls"]
    )
    assert weight.value == Decimal(66)
    note = Note.objects.get(person=odette, author=users["as.tilleuls"])
    assert note.important
    tasks = CareTask.objects.filter(person=odette)
    assert CareRecord.objects.filter(task__in=tasks).count() == 3
    alert = CareAlert.objects.get(person=odette)
    assert alert.kind == "undernutrition_to_confirm"
    assert alert.acknowledged_by == users["ide.tilleuls"]
    assert AccessEvent.objects.filter(
        user=users["ide.tilleuls"], person=odette, action=AccessAction.UPDATE
    ).exists()
