"""Every write of the configuration admin pages (organisation, review rules, users) is
journaled (action `configure`, the row, no person), and a row changed meanwhile by someone
else is not overwritten."""

import html

import pytest
from django.urls import reverse

from dui.access.models import AccessAction, AccessEvent
from dui.assessments.models import ReviewRule
from dui.organisation.models import EstablishmentCapacity, Organisation, Place, PlaceKind, Unit
from tests.factories import PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db

STALE = "Cette fiche a été modifiée par quelqu'un d'autre pendant votre saisie"


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin.si", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(logged_in_client, superuser):
    return logged_in_client(superuser)


def configure_lines(obj, *, by):
    return list(
        AccessEvent.objects.filter(
            action=AccessAction.CONFIGURE,
            user=by,
            object_type=obj._meta.label,
            object_id=str(getattr(obj, "public_id", obj.pk)),
        )
    )


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_an_organisation_created_in_the_admin_is_journaled_without_a_person(
    admin_client, superuser
):
    response = admin_client.post(
        reverse("admin:organisation_organisation_add"),
        {"name": "Association Les Aulnes", "siren": "", "address": ""},
    )

    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Association Les Aulnes")
    [line] = configure_lines(organisation, by=superuser)
    assert line.person_id is None
    assert organisation.created_by == superuser


def test_a_unit_renamed_in_the_admin_is_journaled_and_moves_to_its_next_version(
    admin_client, superuser, unit_a
):
    response = admin_client.post(
        reverse("admin:organisation_unit_change", args=[unit_a.pk]),
        {"establishment": unit_a.establishment_id, "name": "Les Glycines (1er)", "row_version": 1},
    )

    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert unit_a.name == "Les Glycines (1er)" and unit_a.version == 2
    assert len(configure_lines(unit_a, by=superuser)) == 1


def test_a_place_changed_meanwhile_by_someone_else_is_not_overwritten(
    admin_client, superuser, unit_a
):
    place = PlaceFactory(unit=unit_a, label="Chambre 12")
    Place.objects.filter(pk=place.pk).update(version=2, label="Chambre 12 bis")

    response = admin_client.post(
        reverse("admin:organisation_place_change", args=[place.pk]),
        {
            "establishment": unit_a.establishment_id,
            "unit": unit_a.pk,
            "label": "Chambre 14",
            "kind": PlaceKind.PERMANENT,
            "is_active": "on",
            "row_version": 1,
        },
    )

    assert response.status_code == 200
    assert STALE in page(response)
    place.refresh_from_db()
    assert place.label == "Chambre 12 bis"
    assert configure_lines(place, by=superuser) == []


def test_a_place_deleted_in_the_admin_leaves_its_journal_line(admin_client, superuser, unit_a):
    place = PlaceFactory(unit=unit_a)

    response = admin_client.post(
        reverse("admin:organisation_place_delete", args=[place.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Place.objects.exists()
    assert len(configure_lines(place, by=superuser)) == 1


def test_capacities_and_units_entered_on_the_establishment_page_are_journaled(
    admin_client, superuser, ehpad_a
):
    response = admin_client.post(
        reverse("admin:organisation_establishment_change", args=[ehpad_a.pk]),
        {
            "organisation": ehpad_a.organisation_id,
            "name": ehpad_a.name,
            "finess": ehpad_a.finess,
            "category": ehpad_a.category,
            "address_line": "",
            "postal_code": ehpad_a.postal_code,
            "city": ehpad_a.city,
            "phone": "",
            "time_zone": "Indian/Reunion",
            "row_version": 1,
            "capacities-TOTAL_FORMS": "1",
            "capacities-INITIAL_FORMS": "0",
            "capacities-0-kind": PlaceKind.PERMANENT,
            "capacities-0-authorised_places": "80",
            "units-TOTAL_FORMS": "1",
            "units-INITIAL_FORMS": "0",
            "units-0-name": "Les Camélias",
        },
    )

    assert response.status_code == 302, page(response)[:3000]
    ehpad_a.refresh_from_db()
    assert ehpad_a.time_zone == "Indian/Reunion" and ehpad_a.version == 2
    assert len(configure_lines(ehpad_a, by=superuser)) == 1
    assert len(configure_lines(EstablishmentCapacity.objects.get(), by=superuser)) == 1
    assert len(configure_lines(Unit.objects.get(name="Les Camélias"), by=superuser)) == 1


def test_a_review_rule_set_in_the_admin_is_journaled(admin_client, superuser, ehpad_a):
    response = admin_client.post(
        reverse("admin:assessments_reviewrule_add"),
        {
            "establishment": ehpad_a.pk,
            "instrument_code": "aggir",
            "interval_days": "180",
            "at_admission_days": "15",
        },
    )

    assert response.status_code == 302
    rule = ReviewRule.objects.get()
    assert len(configure_lines(rule, by=superuser)) == 1

    response = admin_client.post(
        reverse("admin:assessments_reviewrule_change", args=[rule.pk]),
        {
            "establishment": ehpad_a.pk,
            "instrument_code": "aggir",
            "interval_days": "365",
            "at_admission_days": "15",
            "row_version": 1,
        },
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.interval_days == 365 and rule.version == 2
    assert len(configure_lines(rule, by=superuser)) == 2


def test_a_user_changed_in_the_admin_is_journaled(admin_client, superuser, nurse_a):
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[nurse_a.pk]),
        {
            "username": nurse_a.username,
            "first_name": nurse_a.first_name,
            "last_name": nurse_a.last_name,
            "email": nurse_a.email,
            "is_active": "on",
            "date_joined_0": nurse_a.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": nurse_a.date_joined.strftime("%H:%M:%S"),
            "profession": nurse_a.profession_id,
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, page(response)[:3000]
    assert len(configure_lines(nurse_a, by=superuser)) == 1
