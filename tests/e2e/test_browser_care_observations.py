"""The monthly weighing round on a tablet (820×1180, issue 13 « Done when », observations
part): Nadia Benhamou, aide-soignante of « Les Lilas », weighs three residents in sequence
(Enter moves to the next field); one weight is a loss of 5 % in a month, which raises
« dénutrition à confirmer » (HAS-FFN 2021); Camille Roussel, the unit's nurse, sees it on
« Ma journée » and acknowledges it, saying what was done."""

from datetime import timedelta
from decimal import Decimal

from playwright.sync_api import expect

from dui.care.observations.models import CareAlert, Observation
from dui.core import dates
from dui.people.models import Sex
from dui.stays.models import Stay
from tests.care.observations.factories import ObservationFactory
from tests.e2e.axe import assert_no_serious_violations
from tests.e2e.browser import demo_log_in, field, open_menu_entry, seed_demo_staff
from tests.e2e.conftest import TABLET_PORTRAIT
from tests.factories import CareTeamMembershipFactory, PersonFactory, days_ago


def _resident(unit, establishment, place, birth_name, first_names):
    person = PersonFactory(
        birth_name=birth_name,
        first_names=first_names,
        sex=Sex.FEMALE,
        birth_date=dates.today().replace(year=dates.today().year - 86, day=1),
    )
    CareTeamMembershipFactory(person=person, establishment=establishment, unit=unit)
    Stay.objects.create(
        person=person,
        establishment=establishment,
        unit=unit,
        place=place,
        kind="permanent",
        started_on=days_ago(400),
    )
    return person


def test_the_carer_weighs_three_residents_and_the_nurse_acknowledges_the_alert(new_page, settings):
    users = seed_demo_staff(settings)
    from dui.organisation.models import Unit

    lilas = Unit.objects.get(name="Les Lilas")
    establishment = lilas.establishment
    places = list(lilas.places.order_by("label")[:3])
    residents = [
        _resident(lilas, establishment, places[0], "Arnaud", "Odette"),
        _resident(lilas, establishment, places[1], "Bastien", "Paulette"),
        _resident(lilas, establishment, places[2], "Cordier", "Yvonne"),
    ]
    for person in residents:
        ObservationFactory(person=person, measure="height", value=Decimal(160))
        ObservationFactory(
            person=person, value=Decimal(70), occurred_at=dates.now() - timedelta(days=30)
        )

    carer = demo_log_in(new_page(viewport=TABLET_PORTRAIT), users["as.tilleuls"])
    open_menu_entry(carer, "Tournée de mesures")
    expect(carer.get_by_test_id("round-count")).to_contain_text("0 / 3")
    first = carer.get_by_label(str(residents[0]))
    first.fill("69,5")
    first.press("Enter")  # moves on, does not send
    carer.keyboard.type("66")  # 70 → 66 kg: −5,7 % in a month
    carer.keyboard.press("Enter")
    carer.keyboard.type("70,2")
    assert_no_serious_violations(carer)
    carer.get_by_role("button", name="Enregistrer la tournée").click()

    expect(carer.get_by_test_id("round-count")).to_contain_text("3 / 3")
    expect(carer.get_by_text("alerte : Dénutrition à confirmer")).to_be_visible()
    assert (
        Observation.objects.filter(measure="weight", created_by=users["as.tilleuls"]).count() == 3
    )

    nurse = demo_log_in(new_page(viewport=TABLET_PORTRAIT), users["ide.tilleuls"])
    nurse.get_by_role("link", name="1 alerte de soins à traiter").click()
    row = nurse.get_by_test_id("unit-alert").filter(has_text="Dénutrition à confirmer")
    expect(row).to_contain_text("BASTIEN Paulette")
    row.get_by_role("link", name="Prendre en compte").click()
    nurse.get_by_label(field("Ce qui a été fait")).fill(
        "Médecin prévenu ; enrichissement des repas, critère étiologique à évaluer demain."
    )
    nurse.get_by_role("button", name="Prendre en compte").click()

    expect(nurse.get_by_test_id("no-alert")).to_be_visible()
    alert = CareAlert.objects.get()
    assert alert.kind == "undernutrition_to_confirm"
    assert alert.acknowledged_by == users["ide.tilleuls"]
