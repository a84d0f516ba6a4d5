"""Units, places and authorised capacity: single-row rules and cross-establishment checks."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from dui.organisation.models import EstablishmentCapacity, Place, PlaceKind, Unit
from tests.factories import PlaceFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

OTHER_ESTABLISHMENT_MESSAGE = (
    "Cette unité appartient à un autre établissement que celui de la place."
)


# --- Places -----------------------------------------------------------------------------------


def test_a_place_whose_unit_belongs_to_another_establishment_is_refused(ehpad_a, unit_b):
    place = Place(establishment=ehpad_a, unit=unit_b, label="Chambre 12", kind=PlaceKind.PERMANENT)

    with pytest.raises(ValidationError) as caught:
        place.full_clean()

    assert caught.value.message_dict["unit"] == [OTHER_ESTABLISHMENT_MESSAGE]
    assert not Place.objects.exists()


def test_a_place_in_a_unit_of_its_own_establishment_is_accepted(ehpad_a, unit_a):
    place = Place(establishment=ehpad_a, unit=unit_a, label="Chambre 12", kind=PlaceKind.PERMANENT)

    place.full_clean()
    place.save()

    assert Place.objects.get().unit == unit_a


def test_two_places_of_a_unit_cannot_share_a_label(unit_a):
    PlaceFactory(unit=unit_a, label="Chambre 12")
    twin = Place(
        establishment=unit_a.establishment,
        unit=unit_a,
        label="Chambre 12",
        kind=PlaceKind.TEMPORARY,
    )

    with pytest.raises(ValidationError) as caught:
        twin.full_clean()

    assert "Une place porte déjà ce libellé dans cette unité." in caught.value.messages


@pytest.fixture
def admin_client(logged_in_client):
    superuser = UserFactory(username="admin.si", is_staff=True, is_superuser=True)
    return logged_in_client(superuser)


def place_form(establishment, unit) -> dict:
    return {
        "establishment": establishment.pk,
        "unit": unit.pk,
        "label": "Chambre 12",
        "kind": PlaceKind.PERMANENT,
        "is_active": "on",
    }


def test_the_admin_refuses_a_place_in_a_unit_of_another_establishment(
    admin_client, ehpad_a, unit_b
):
    response = admin_client.post(
        reverse("admin:organisation_place_add"), place_form(ehpad_a, unit_b)
    )

    assert response.status_code == 200
    assert OTHER_ESTABLISHMENT_MESSAGE in response.content.decode()
    assert not Place.objects.exists()


def test_the_admin_creates_a_place_in_a_unit_of_its_establishment(admin_client, ehpad_a, unit_a):
    response = admin_client.post(
        reverse("admin:organisation_place_add"), place_form(ehpad_a, unit_a)
    )

    assert response.status_code == 302
    assert Place.objects.get().label == "Chambre 12"


# --- Units ------------------------------------------------------------------------------------


def test_two_units_of_an_establishment_cannot_share_a_name_whatever_the_case(ehpad_a, unit_a):
    twin = Unit(establishment=ehpad_a, name=unit_a.name.upper())

    with pytest.raises(ValidationError) as caught:
        twin.full_clean()

    assert caught.value.messages == ["Une unité porte déjà ce nom dans cet établissement."]


def test_the_database_refuses_a_duplicate_unit_name_by_constraint_unit_name_unique_in_establishment(
    ehpad_a, unit_a
):
    with (
        pytest.raises(IntegrityError, match="unit_name_unique_in_establishment"),
        transaction.atomic(),
    ):
        Unit.objects.create(establishment=ehpad_a, name=unit_a.name.lower())

    assert Unit.objects.filter(establishment=ehpad_a).count() == 1


def test_two_establishments_may_each_have_a_unit_of_the_same_name(ehpad_a, ehpad_b):
    UnitFactory(establishment=ehpad_a, name="Les Lilas")
    other = Unit(establishment=ehpad_b, name="Les Lilas")

    other.full_clean()
    other.save()

    assert Unit.objects.filter(name="Les Lilas").count() == 2


def unique_violation(name: str) -> str:
    """PostgreSQL names the violated constraint; SQLite names the columns of a plain unique one."""
    if connection.vendor == "postgresql":
        return name
    return r"UNIQUE constraint failed: organisation_establishmentcapacity\.establishment_id"


# --- Capacity ---------------------------------------------------------------------------------


def test_an_establishment_has_one_capacity_row_per_kind_of_place(ehpad_a):
    EstablishmentCapacity.objects.create(
        establishment=ehpad_a, kind=PlaceKind.PERMANENT, authorised_places=80
    )
    second = EstablishmentCapacity(
        establishment=ehpad_a, kind=PlaceKind.PERMANENT, authorised_places=90
    )

    with pytest.raises(ValidationError) as caught:
        second.full_clean()
    assert caught.value.messages == ["Cette capacité est déjà renseignée pour ce type de place."]

    with (
        pytest.raises(IntegrityError, match=unique_violation("capacity_one_row_per_kind")),
        transaction.atomic(),
    ):
        second.save()
    assert ehpad_a.capacities.get().authorised_places == 80


def test_an_establishment_may_declare_a_capacity_for_each_kind_of_place(ehpad_a):
    for kind, places in [
        (PlaceKind.PERMANENT, 80),
        (PlaceKind.TEMPORARY, 4),
        (PlaceKind.DAY_CARE, 6),
    ]:
        capacity = EstablishmentCapacity(establishment=ehpad_a, kind=kind, authorised_places=places)
        capacity.full_clean()
        capacity.save()

    assert ehpad_a.capacities.count() == 3
