"""« Ma journée »: each profession's home page is its to-do list (issue 12, item 2), fed by the
bricks through `dui.core.home`; every item links to the screen that settles it and the page's
query count does not grow with the number of persons (DESIGN §4.9)."""

import html
import re

import pytest
from django.urls import reverse

from dui.access.models import MembershipReason
from dui.access.services import break_glass_open
from dui.admissions.models import (
    AdmissionRequest,
    AdmissionStatus,
    Contract,
    ContractKind,
    ContractSignatory,
    Inquiry,
    SignatoryRole,
)
from dui.assessments.models import AssessmentStatus
from dui.core import dates
from dui.people.models import PersonAlert
from dui.stays.models import AbsenceKind, Attendance, AttendanceKind
from tests.assessments.review_helpers import stored_assessment
from tests.care.test_allergies import AllergyFactory
from tests.factories import (
    CareTeamMembershipFactory,
    PersonFactory,
    PlaceFactory,
    days_ago,
    days_ahead,
    professional,
)
from tests.stays.factories import StayFactory

pytestmark = pytest.mark.django_db

HOME = "/"


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def said(fragment: str) -> str:
    """What a reader sees of a fragment of the page: its words, without the tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))


def home_of(client):
    return text(client.get(reverse("core:home")))


def resident_in_room(unit, room, *, birth_name, started_on=None, **person):
    person = PersonFactory(birth_name=birth_name, **person)
    CareTeamMembershipFactory(person=person, establishment=unit.establishment, unit=unit)
    place = PlaceFactory(establishment=unit.establishment, unit=unit, label=room)
    stay = StayFactory(person=person, place=place, started_on=started_on or days_ago(200))
    return person, stay


def absent(stay, by, *, until):
    return Attendance.objects.create(
        person=stay.person,
        stay=stay,
        kind=AttendanceKind.ABSENT,
        absence_kind=AbsenceKind.HOSPITALISATION,
        starts_on=days_ago(1),
        ends_on=until,
        status_changed_by=by,
        status_changed_at=dates.now(),
    )


# --- The nurse and the carer: the unit's persons of the day -----------------------------------


def test_the_nurse_sees_who_is_present_with_room_allergies_alerts_and_what_is_due(
    unit_a, nurse_a, logged_in_client
):
    person, _stay = resident_in_room(unit_a, "104", birth_name="Lefebvre")
    AllergyFactory(person=person, substance="pénicilline")
    PersonAlert.objects.create(person=person, category="care", label="Risque de chute")

    page = home_of(logged_in_client(nurse_a))

    row = re.search(r'data-testid="home-person">(.*?)</li>', page).group(1)
    assert "LEFEBVRE" in row.upper()
    assert "chambre 104" in row
    assert "Allergies : pénicilline" in row
    assert "Risque de chute" in row
    # Entered 200 days ago and never assessed: the GIR (30 days after the entry) is late.
    assert "GIR en retard" in row or "AGGIR en retard" in row
    assert reverse("care:allergies", args=[person.public_id]) in row


def test_absent_and_expected_persons_are_listed_apart_from_those_present(
    unit_a, nurse_a, logged_in_client
):
    _here, _s = resident_in_room(unit_a, "101", birth_name="Present")
    _away, away_stay = resident_in_room(unit_a, "102", birth_name="Hospitalise")
    absent(away_stay, nurse_a, until=days_ahead(3))
    _coming, _c = resident_in_room(unit_a, "103", birth_name="Arrivant", started_on=days_ahead(2))

    page = home_of(logged_in_client(nurse_a))

    present = re.search(r'data-testid="home-present">(.*?)</section>', page).group(1)
    away_list = re.search(r'data-testid="home-absent">(.*?)</section>', page).group(1)
    expected = re.search(r'data-testid="home-expected">(.*?)</section>', page).group(1)
    assert "PRESENT" in present.upper() and "HOSPITALISE" not in present.upper()
    assert "HOSPITALISE" in away_list.upper() and "Hospitalisation" in away_list
    assert "ARRIVANT" in expected.upper() and days_ahead(2).strftime("%d/%m/%Y") in expected
    assert "ARRIVANT" not in present.upper()


def test_the_due_counts_link_to_the_due_list(unit_a, nurse_a, logged_in_client):
    resident_in_room(unit_a, "104", birth_name="Lefebvre")

    page = home_of(logged_in_client(nurse_a))

    todo = re.search(r'data-testid="home-todo">(.*?)</section>', page).group(1)
    assert re.search(r"\d+ évaluations? en retard", said(todo))
    assert reverse("assessments:due") + "?retard=1" in todo


def test_a_person_of_another_unit_is_not_on_the_day_list(unit_a, unit_b, nurse_a, logged_in_client):
    resident_in_room(unit_b, "201", birth_name="Ailleurs")

    assert "AILLEURS" not in home_of(logged_in_client(nurse_a)).upper()


@pytest.mark.parametrize("persons", [5, 40])
def test_the_nurse_home_page_runs_the_same_queries_for_5_and_40_persons(
    persons, unit_a, nurse_a, logged_in_client, django_assert_max_num_queries
):
    client = logged_in_client(nurse_a)
    for n in range(persons):
        person, stay = resident_in_room(unit_a, f"{n:03}", birth_name=f"Resident{n}")
        AllergyFactory(person=person)
        PersonAlert.objects.create(person=person, category="care", label="Vigilance")
        if n % 4 == 0:
            absent(stay, nurse_a, until=days_ahead(2))
    with django_assert_max_num_queries(30):
        response = client.get(reverse("core:home"))
    assert response.content.decode().count('data-testid="home-person"') == persons - (
        (persons + 3) // 4
    )


# --- The médecin coordonnateur: what waits for him -------------------------------------------


def test_the_medecin_coordonnateur_is_told_how_many_assessments_wait_for_his_validation(
    unit_a, ehpad_a, nurse_a, doctor_a, logged_in_client
):
    person, _stay = resident_in_room(unit_a, "104", birth_name="Lefebvre")
    stored_assessment(person, ehpad_a, "aggir", status=AssessmentStatus.DRAFT, by=nurse_a)

    page = home_of(logged_in_client(doctor_a))

    todo = re.search(r'data-testid="home-todo">(.*?)</section>', page).group(1)
    assert "1 évaluation à valider" in said(todo)
    assert reverse("assessments:to_validate") in todo


def test_the_medecin_coordonnateur_is_told_which_applications_wait_for_his_opinion(
    ehpad_a, secretary_a, doctor_a, logged_in_client
):
    person = PersonFactory()
    CareTeamMembershipFactory(person=person, establishment=ehpad_a, application=True)
    AdmissionRequest.objects.create(
        person=person,
        establishment=ehpad_a,
        status=AdmissionStatus.EVALUATION,
        received_on=days_ago(3),
    )

    page = home_of(logged_in_client(doctor_a))

    assert "1 avis médical attendu sur une demande d'admission" in said(page)


# --- The secretary: inquiries, applications, contracts ---------------------------------------


def test_the_secretary_sees_the_contract_to_sign_and_the_inquiries_to_follow_up(
    unit_a, ehpad_a, secretary_a, logged_in_client
):
    person, stay = resident_in_room(unit_a, "104", birth_name="Lefebvre")
    Contract.objects.create(stay=stay, kind=ContractKind.CONTRACT, due_by=days_ahead(10))
    Inquiry.objects.create(
        establishment=ehpad_a,
        received_at=dates.now(),
        channel="phone",
        requester_kind="family",
        requester_name="M. Durand",
        prospect_birth_name="Durand",
        follow_up_on=days_ago(1),
    )

    page = home_of(logged_in_client(secretary_a))

    contracts = re.search(r'data-testid="home-contracts">(.*?)</section>', page).group(1)
    assert "LEFEBVRE" in contracts.upper() and "à remettre" in contracts
    assert reverse("admissions:contract", args=[person.public_id]) in contracts
    assert "1 demande de renseignement à relancer" in said(page)


def test_a_signed_contract_is_not_on_the_home_page(unit_a, secretary_a, logged_in_client):
    _person, stay = resident_in_room(unit_a, "104", birth_name="Lefebvre")
    contract = Contract.objects.create(
        stay=stay,
        kind=ContractKind.CONTRACT,
        due_by=days_ahead(10),
        delivered_on=days_ago(5),
        signed_on=days_ago(1),
    )
    ContractSignatory.objects.create(
        contract=contract, role=SignatoryRole.SIGNS, is_the_person=True, signed_on=days_ago(1)
    )

    assert 'data-testid="home-contracts"' not in home_of(logged_in_client(secretary_a))


# --- The director: decisions, break-glass accesses, figures of the day -----------------------


def test_the_director_sees_the_break_glass_accesses_to_review_and_the_figures_of_the_day(
    unit_a, unit_b, ehpad_a, nurse_b, director_a, logged_in_client
):
    person, _stay = resident_in_room(unit_a, "104", birth_name="Lefebvre")
    PlaceFactory(establishment=ehpad_a, unit=unit_a, label="105")
    break_glass_open(acting_user=nurse_b, person=person, reason="Chute la nuit, appel du SAMU")

    page = home_of(logged_in_client(director_a))

    todo = re.search(r'data-testid="home-todo">(.*?)</section>', page).group(1)
    assert "1 accès exceptionnel à revoir" in said(todo)
    assert reverse("access:break_glass_review_list") in todo
    figures = re.search(r'data-testid="home-figures">(.*?)</section>', page).group(1)
    assert "1 place occupée sur 2 (50 %), 1 libre" in said(figures)


@pytest.mark.parametrize("persons", [5, 40])
def test_the_director_secretary_and_doctor_home_pages_are_bounded(
    persons,
    unit_a,
    ehpad_a,
    director_a,
    secretary_a,
    doctor_a,
    nurse_a,
    logged_in_client,
    django_assert_max_num_queries,
):
    for n in range(persons):
        person, stay = resident_in_room(unit_a, f"{n:03}", birth_name=f"Resident{n}")
        Contract.objects.create(stay=stay, kind=ContractKind.CONTRACT, due_by=days_ahead(n))
        stored_assessment(person, ehpad_a, "aggir", status=AssessmentStatus.DRAFT, by=nurse_a)
    for user in (director_a, secretary_a, doctor_a):
        client = logged_in_client(user)
        with django_assert_max_num_queries(30):
            assert client.get(reverse("core:home")).status_code == 200


def test_the_day_list_of_a_whole_establishment_leaves_the_applicants_out(
    logged_in_client, ehpad_a, unit_a
):
    """An assignment to the whole establishment (médecin coordonnateur, IDEC) lists the persons
    living there today, not the applicants whose care team is formed at the application
    (before the fix, 40 applicants showed « sans chambre attribuée » among those present)."""
    idec = professional(username="idec.a", profession="idec", establishment=ehpad_a)
    resident_in_room(unit_a, "ch 12", birth_name="Fabre")
    applicant = PersonFactory(birth_name="Vidal")
    CareTeamMembershipFactory(
        person=applicant,
        establishment=ehpad_a,
        unit=None,
        reason=MembershipReason.APPLICATION,
    )

    page = home_of(logged_in_client(idec))

    assert "Présentes aujourd'hui (1)" in page
    assert "FABRE" in page
    assert "VIDAL" not in page
