"""Falls and wounds on a tablet held upright (820×1180, issue 13 item 7).

The demo aide-soignante of Les Lilas declares the second fall of the year of a resident: the
record's header now shows the repeated-falls alert (HAS/SFGG 2009, « au moins deux chutes sur
douze mois »). The demo nurse then records the weekly assessment of a resident's sacral
pressure ulcer, with a photo — the resident consented to photos — and finds it on the wound
page, served by the documents brick's private view.
"""

import io
from datetime import timedelta

from PIL import Image
from playwright.sync_api import Page, expect

from dui.care.incidents import services
from dui.core import dates
from dui.stays.models import Stay
from tests.e2e.axe import assert_no_serious_violations
from tests.e2e.browser import demo_log_in, field, seed_demo_staff
from tests.e2e.conftest import TABLET_PORTRAIT
from tests.factories import CareTeamMembershipFactory, PersonFactory, days_ago


def _resident(unit, place, birth_name, first_names, **extra):
    person = PersonFactory(birth_name=birth_name, first_names=first_names, **extra)
    CareTeamMembershipFactory(person=person, establishment=unit.establishment, unit=unit)
    Stay.objects.create(
        person=person,
        establishment=unit.establishment,
        unit=unit,
        place=place,
        kind="permanent",
        started_on=days_ago(400),
    )
    return person


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (190, 70, 70)).save(out, format="PNG")
    return out.getvalue()


def test_a_second_fall_of_the_year_shows_the_repeated_falls_alert(new_page, settings):
    users = seed_demo_staff(settings)
    from dui.organisation.models import Unit

    lilas = Unit.objects.get(name="Les Lilas")
    resident = _resident(lilas, lilas.places.order_by("label").first(), "Perrin", "Odette")
    carer = users["as.tilleuls"]
    services.fall_declare(
        acting_user=carer,
        person=resident,
        data={
            "occurred_at": dates.now() - timedelta(days=75),
            "place": "corridor",
            "circumstances": "A glissé en allant à la salle à manger.",
            "consequences": ["bruise"],
        },
    )
    page: Page = new_page(TABLET_PORTRAIT)
    demo_log_in(page, carer)

    page.goto(f"/usagers/{resident.public_id}/soins/chutes-et-plaies/")
    expect(page.get_by_test_id("falls-12-months")).to_have_text("1 chute en 12 mois")
    page.get_by_role("link", name="Déclarer une chute").click()
    page.get_by_label("Salle de bain, toilettes").check()
    page.get_by_label(field("Circonstances")).fill(
        "Retrouvée au sol dans la salle de bain, voulait se laver seule."
    )
    page.get_by_label(field("Temps passé au sol (minutes)")).fill("15")
    page.get_by_label("Douleur").check()
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Enregistrer").click()

    alert = page.get_by_test_id("header-badge").filter(has_text="Chutes répétées")
    expect(alert).to_have_text("Alerte : Chutes répétées")
    expect(page.get_by_test_id("fall-facts")).to_contain_text("Salle de bain, toilettes")


def test_a_nurse_records_a_pressure_ulcer_assessment_with_a_photo(new_page, settings):
    users = seed_demo_staff(settings)
    from dui.organisation.models import Unit

    lilas = Unit.objects.get(name="Les Lilas")
    resident = _resident(
        lilas,
        lilas.places.order_by("label").first(),
        "Vasseur",
        "Germaine",
        photo_consent=True,
        photo_consent_on=days_ago(200),
    )
    nurse = users["ide.tilleuls"]
    wound = services.wound_open(
        acting_user=nurse,
        person=resident,
        data={"kind": "pressure_ulcer", "body_site": "sacrum", "opened_on": days_ago(14)},
    )
    services.wound_assess(
        acting_user=nurse,
        wound=wound,
        data={
            "assessed_at": dates.now() - timedelta(days=7),
            "stage": "3",
            "length_mm": 45,
            "width_mm": 30,
        },
    )
    page: Page = new_page(TABLET_PORTRAIT)
    demo_log_in(page, nurse)

    page.goto(f"/usagers/{resident.public_id}/soins/chutes-et-plaies/")
    page.get_by_test_id("open-wound").get_by_role("link").click()
    page.get_by_role("link", name="Nouvelle évaluation").click()
    page.get_by_label("Catégorie 3 — perte totale de l'épaisseur de la peau").check()
    page.get_by_label(field("Longueur (mm)")).fill("38")
    page.get_by_label(field("Largeur (mm)")).fill("26")
    page.get_by_label("Bourgeonnement, granulation (rouge)").check()
    page.get_by_label(field("Photo")).set_input_files(
        {"name": "sacrum.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.get_by_role("button", name="Enregistrer").click()

    rows = page.get_by_test_id("wound-assessment")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("38 × 26 mm")
    photo = rows.first.get_by_role("img")
    expect(photo).to_be_visible()
    assert "/documents/" in photo.get_attribute("src")
    expect(page.locator("#chart-wound-size, svg.measure-chart").first).to_be_visible()
    # Checked once the « enregistrée » message is read: the shell's message list is not this
    # page's (axe flags its role=status items, reported apart).
    page.reload()
    assert_no_serious_violations(page)


def test_a_nurse_opens_a_wound_by_tapping_the_body_diagram(new_page, settings):
    users = seed_demo_staff(settings)
    from dui.organisation.models import Unit

    lilas = Unit.objects.get(name="Les Lilas")
    resident = _resident(lilas, lilas.places.order_by("label").first(), "Royer", "Lucienne")
    page: Page = new_page(TABLET_PORTRAIT)
    demo_log_in(page, users["ide.tilleuls"])

    page.goto(f"/usagers/{resident.public_id}/soins/chutes-et-plaies/")
    page.get_by_role("link", name="Nouvelle plaie").click()
    page.get_by_label("Escarre").check()
    page.locator('a[data-zone="heel_left"]').click()
    expect(page.get_by_label(field("Localisation"))).to_have_value("heel_left")
    expect(page.locator('a[data-zone="heel_left"] .zone-shape')).to_have_class(
        "zone-shape selected"
    )
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=2)).to_contain_text("Escarre — Talon gauche")
