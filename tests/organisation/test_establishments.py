"""Establishments: FINESS numbers, uniqueness, and the admin screen that enters them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.organisation.finess import department_of, is_valid_finess, normalise_finess
from dui.organisation.models import Establishment, EstablishmentCategory
from tests.factories import EstablishmentFactory, UserFactory

pytestmark = pytest.mark.django_db

FINESS_MESSAGE = "Numéro FINESS invalide"
DUPLICATE_MESSAGE = "Un établissement porte déjà ce numéro FINESS."


def new_establishment(organisation, finess: str) -> Establishment:
    return Establishment(
        organisation=organisation,
        name="EHPAD Les Mimosas",
        finess=finess,
        category=EstablishmentCategory.EHPAD,
    )


@pytest.mark.parametrize(
    ("number", "department"),
    [
        ("690000018", "69"),  # Rhône
        ("010000012", "01"),  # Ain
        ("950000015", "95"),  # Val-d'Oise
        ("2A0000012", "2A"),  # Corse-du-Sud
        ("2B0000013", "2B"),  # Haute-Corse
        ("971000017", "971"),  # Guadeloupe
        ("976000015", "976"),  # Mayotte
    ],
)
def test_a_well_formed_finess_number_is_accepted(organisation, number, department):
    assert is_valid_finess(number)
    assert department_of(number) == department
    establishment = new_establishment(organisation, number)
    establishment.full_clean()
    establishment.save()
    assert Establishment.objects.get(finess=number)


@pytest.mark.parametrize(
    "number",
    [
        "69000001",  # 8 characters
        "6900000180",  # 10 characters
        "",
        "69000001A",  # a letter among the digits
        "ABC000012",  # letters for the department
        "000000012",  # department 00 does not exist
        "200000012",  # 20 disappeared when Corsica was split
        "2C0000012",  # only 2A and 2B
        "960000012",  # no department 96
        "977000012",  # Saint-Barthélemy is not a department
        "980000012",  # 98x: territories outside the FINESS departments
        "988000012",
    ],
)
def test_a_malformed_finess_number_is_refused_with_a_french_message(organisation, number):
    establishment = new_establishment(organisation, number)

    assert not is_valid_finess(number)
    with pytest.raises(ValidationError) as caught:
        establishment.full_clean()

    assert "finess" in caught.value.message_dict
    if number:
        assert any(FINESS_MESSAGE in m for m in caught.value.message_dict["finess"])


def test_spaces_in_a_finess_number_are_tolerated_and_removed(organisation):
    assert normalise_finess(" 69 0000 018 ") == "690000018"
    assert normalise_finess("2a 000 001 2") == "2A0000012"
    assert is_valid_finess("690 000 018")

    establishment = new_establishment(organisation, "690 000 018")
    establishment.full_clean()
    establishment.save()

    establishment.refresh_from_db()
    assert establishment.finess == "690000018"


def test_a_second_establishment_with_the_same_finess_is_refused(organisation):
    EstablishmentFactory(organisation=organisation, finess="690000018")
    duplicate = new_establishment(organisation, "690000018")

    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()

    assert caught.value.message_dict["finess"] == [DUPLICATE_MESSAGE]


def test_the_same_finess_written_with_spaces_is_still_a_duplicate(organisation):
    EstablishmentFactory(organisation=organisation, finess="690000018")
    duplicate = new_establishment(organisation, "690 000 018")

    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()

    assert caught.value.message_dict["finess"] == [DUPLICATE_MESSAGE]


# --- Admin ------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(logged_in_client):
    superuser = UserFactory(username="admin.si", is_staff=True, is_superuser=True)
    return logged_in_client(superuser)


def establishment_form(organisation, finess: str) -> dict:
    return {
        "organisation": organisation.pk,
        "name": "EHPAD Les Mimosas",
        "finess": finess,
        "category": EstablishmentCategory.EHPAD,
        "address_line": "",
        "postal_code": "",
        "city": "",
        "phone": "",
        "time_zone": "Europe/Paris",
        "capacities-TOTAL_FORMS": "0",
        "capacities-INITIAL_FORMS": "0",
        "capacities-MIN_NUM_FORMS": "0",
        "capacities-MAX_NUM_FORMS": "1000",
        "units-TOTAL_FORMS": "0",
        "units-INITIAL_FORMS": "0",
        "units-MIN_NUM_FORMS": "0",
        "units-MAX_NUM_FORMS": "1000",
    }


def test_the_admin_creates_an_establishment_with_a_valid_finess(admin_client, organisation):
    response = admin_client.post(
        reverse("admin:organisation_establishment_add"),
        establishment_form(organisation, "690 000 018"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Establishment.objects.get(name="EHPAD Les Mimosas").finess == "690000018"


def test_the_admin_refuses_a_duplicate_finess_and_saves_nothing(admin_client, organisation):
    EstablishmentFactory(organisation=organisation, finess="690000018", name="EHPAD Existant")

    response = admin_client.post(
        reverse("admin:organisation_establishment_add"),
        establishment_form(organisation, "690000018"),
    )

    assert response.status_code == 200
    assert DUPLICATE_MESSAGE in response.content.decode()
    assert not Establishment.objects.filter(name="EHPAD Les Mimosas").exists()


def test_the_admin_refuses_a_malformed_finess_and_saves_nothing(admin_client, organisation):
    response = admin_client.post(
        reverse("admin:organisation_establishment_add"),
        establishment_form(organisation, "200000012"),
    )

    assert response.status_code == 200
    assert FINESS_MESSAGE in response.content.decode()
    assert not Establishment.objects.filter(name="EHPAD Les Mimosas").exists()


def test_the_admin_is_closed_to_professionals_who_are_not_staff(logged_in_client, nurse_a):
    response = logged_in_client(nurse_a).get(reverse("admin:organisation_establishment_add"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
