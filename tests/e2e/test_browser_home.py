"""Each profession's day starts from its home page (issue 12), on a 10-inch tablet (1280×800)
and on a phone (390×844), with the demo logins:

- Camille Roussel, nurse of « Les Lilas », reaches the due assessments and a resident's
  allergies from her home page in at most two taps;
- the médecin coordonnateur validates a GIR from his « à valider » queue without searching;
- the secretary sees the contract to sign on her home page;
- the director reviews a break-glass access from his.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from dui.access.services import break_glass_open
from dui.admissions.models import Contract, ContractKind
from dui.assessments.models import AssessmentStatus
from dui.demo import data as demo_data
from dui.demo.seeding import DemoSeeder
from dui.people.models import Sex
from dui.stays.models import Stay
from tests.assessments.review_helpers import stored_assessment
from tests.assessments.test_aggir_instrument import all_answers
from tests.care.test_allergies import AllergyFactory
from tests.e2e.browser import demo_log_in
from tests.e2e.conftest import LAPTOP, PHONE, TABLET_PORTRAIT
from tests.factories import (
    CareTeamMembershipFactory,
    PersonFactory,
    days_ago,
    days_ahead,
    profession,
)

VIEWPORTS = [
    pytest.param(PHONE, id="telephone-390"),
    pytest.param(TABLET_PORTRAIT, id="tablette-820"),
    pytest.param(LAPTOP, id="portable-1366"),
]


@pytest.fixture
def demo(settings):
    """The demo organisation and staff, and Mrs Odette Lemaire in « Les Lilas » (room of the
    unit's first place) for 40 days, allergic to penicillin, never assessed."""
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
    AllergyFactory(person=odette, substance="Pénicilline")
    return {"users": users, "odette": odette, "stay": stay, "establishment": tilleuls.establishment}


def todo(page: Page):
    return page.get_by_role("region", name="À faire")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_nurse_reaches_the_due_assessments_and_the_allergies_in_two_taps(
    new_page, demo, viewport
):
    nurse = demo_log_in(new_page(viewport=viewport), demo["users"]["ide.tilleuls"])
    odette = demo["odette"]

    person = nurse.get_by_test_id("home-person").filter(has_text=odette.display_name)
    expect(person).to_contain_text("Allergies : Pénicilline")
    expect(person).to_contain_text("chambre")

    # One tap: the assessments overdue (her GIR was due 30 days after the entry).
    todo(nurse).get_by_role("link", name=re.compile(r"évaluations? en retard")).click()
    expect(nurse.get_by_role("heading", level=1)).to_contain_text("Évaluations à faire")
    expect(
        nurse.get_by_test_id("due-row").filter(has_text=odette.display_name).first
    ).to_be_visible()

    # Back home, one tap on her allergy badge.
    nurse.goto("/")
    nurse.get_by_test_id("home-person").filter(has_text=odette.display_name).get_by_role(
        "link", name=re.compile("Allergies : Pénicilline")
    ).click()
    expect(nurse.get_by_role("heading", level=1)).to_have_text(odette.display_name)
    expect(nurse.get_by_text("Pénicilline").first).to_be_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_medecin_coordonnateur_validates_a_gir_from_his_queue(new_page, demo, viewport):
    odette = demo["odette"]
    draft = stored_assessment(
        odette,
        demo["establishment"],
        "aggir",
        status=AssessmentStatus.DRAFT,
        by=demo["users"]["ide.tilleuls"],
    )
    draft.answers = all_answers()
    draft.save()

    doctor = demo_log_in(new_page(viewport=viewport), demo["users"]["medco.tilleuls"])
    todo(doctor).get_by_role("link", name=re.compile("évaluation à valider")).click()
    expect(doctor.get_by_role("heading", level=1)).to_have_text("Évaluations à valider")
    doctor.get_by_test_id("to-validate-row").filter(has_text=odette.display_name).get_by_role(
        "link", name=re.compile("Vérifier et valider")
    ).click()
    doctor.get_by_role("button", name="Enregistrer et valider").click()

    expect(doctor.get_by_test_id("assessment-status")).to_have_text("Validée")
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.VALIDATED


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_secretary_sees_the_contract_to_sign_on_her_home_page(new_page, demo, viewport):
    Contract.objects.create(
        stay=demo["stay"],
        kind=ContractKind.CONTRACT,
        delivered_on=days_ago(2),
        due_by=days_ahead(20),
    )

    secretary = demo_log_in(new_page(viewport=viewport), demo["users"]["secretaire.tilleuls"])

    contract = secretary.get_by_test_id("home-contract").filter(
        has_text=demo["odette"].display_name
    )
    expect(contract).to_contain_text("à signer avant le")
    expect(contract).to_be_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_director_reviews_a_break_glass_access_from_his_home_page(new_page, demo, viewport):
    users = demo["users"]
    roses_nurse = users["ide.roses"]
    # A nurse of another unit opens Mrs Lemaire's record in an emergency.
    break_glass_open(
        acting_user=roses_nurse,
        person=demo["odette"],
        reason="Chute dans le couloir des Roses, la nuit",
    )

    director = demo_log_in(new_page(viewport=viewport), users["directeur.tilleuls"])
    todo(director).get_by_role("link", name=re.compile("accès exceptionnels? à revoir")).click()
    expect(director.get_by_role("heading", level=1)).to_contain_text("Accès exceptionnels")
    row = director.get_by_role("row").filter(has_text="Chute dans le couloir des Roses")
    row.get_by_label("Commentaire").fill("Motif vérifié.")
    row.get_by_role("button", name="Marquer comme revu").click()
    expect(director.get_by_text("Accès exceptionnel marqué comme revu.")).to_be_visible()
