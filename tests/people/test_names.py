"""Names are written by one rule whatever the path (form, service, seeding, migration), strict
traits are compared once written so, and a name holds letters, spaces, hyphens and apostrophes
only (security issue, findings 5 and 9)."""

import uuid
from datetime import date, timedelta
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from dui.admissions.services import inquiries
from dui.core import dates
from dui.people import entourage, names, services
from dui.people.models import BirthDatePrecision, IdentityStatus, Person, Relationship, Sex
from tests.factories import CareTeamMembershipFactory, PersonFactory

MARKUP = "<script>alert(1)</script>"
NAME_REFUSED = (
    "Un nom ne contient que des lettres (accentuées ou non), des espaces, des traits d'union "
    "et des apostrophes : « %s » n'en fait pas partie."
)


def identity(**overrides) -> dict:
    data = {
        "birth_name": "MARTIN",
        "first_names": "Jeanne Marie",
        "used_name": "",
        "used_first_name": "",
        "birth_date": date(1941, 3, 12),
        "birth_date_precision": BirthDatePrecision.DAY,
        "sex": Sex.FEMALE,
        "birthplace_code": "69383",
    }
    data.update(overrides)
    return data


def page_data(person: Person, **overrides) -> dict:
    """The identity edit form as the page fills it for `person`, with `overrides` typed."""
    data = {
        "birth_name": person.birth_name,
        "first_names": person.first_names,
        "first_birth_first_name": person.first_first_name,
        "used_name": person.used_name,
        "used_first_name": person.used_first_name,
        "birth_date_text": person.birth_date_display,
        "sex": person.sex,
        "birthplace_code": person.birthplace_code,
        "version": person.version,
        "reason": "",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def validated(person: Person) -> Person:
    Person.objects.filter(pk=person.pk).update(
        identity_status=IdentityStatus.VALIDATED, birthplace_code="69383"
    )
    person.refresh_from_db()
    return person


# --- The rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Dupré-Lefèvre", "DUPRÉ-LEFÈVRE"),
        ("  le   goff ", "LE GOFF"),
        ("N’Diaye", "N'DIAYE"),
        ("Saint‐Exupéry", "SAINT-EXUPÉRY"),
        ("Müller", "MÜLLER"),
        ("Garçon", "GARÇON"),
    ],
)
def test_a_birth_name_is_written_in_capitals_with_its_accents(typed, stored):
    assert names.family_name(typed) == stored


def test_first_names_keep_their_case_and_lose_extra_spaces():
    assert names.first_names("  Marie-Ève   Hélène ") == "Marie-Ève Hélène"


@pytest.mark.parametrize(
    ("field", "a", "b", "same"),
    [
        ("birth_name", "Martin", "MARTIN", True),
        ("birth_name", "martin ", "MARTIN", True),
        ("first_names", "JEANNE MARIE", "Jeanne Marie", True),
        ("birth_name", "LEFEVRE", "LEFÈVRE", False),
        ("first_names", "Jeanne", "Jeanne Marie", False),
        ("sex", "F", "F", True),
    ],
)
def test_strict_traits_are_compared_once_written_by_the_rule(field, a, b, same):
    assert names.same_trait(field, a, b) is same


@pytest.mark.parametrize("name", ["D'Artagnan", "Marie-Ève", "Lætitia", "Ñúñez", "Jean Paul"])
def test_letters_spaces_hyphens_and_apostrophes_make_a_name(name):
    assert names.unexpected_characters(name) == ""


@pytest.mark.parametrize(
    ("name", "unexpected"),
    [(MARKUP, "<>(1)/"), ("Martin2", "2"), ("Dupont & Fils", "&"), ("O.Neil", ".")],
)
def test_anything_else_is_not_a_name(name, unexpected):
    assert names.unexpected_characters(name) == unexpected


# --- Finding 5: seeded identities can be edited -----------------------------------------------


def test_the_demo_seeding_writes_birth_names_in_capitals(db):
    call_command("seed_demo", persons=30, stdout=StringIO())

    assert not Person.objects.exclude(birth_name__regex=r"^[^a-zß-ÿ]+$").exists()
    assert Person.objects.filter(birth_name="DUPRÉ-LEFÈVRE", first_names="Hélène Marie").exists()


def test_editing_the_used_first_name_of_a_seeded_validated_identity_keeps_it_validated(
    logged_in_client,
):
    call_command("seed_demo", persons=0, stdout=StringIO())
    marcel = Person.objects.get(birth_name="AUBERT", first_names="Marcel Louis")
    assert marcel.identity_status == IdentityStatus.VALIDATED
    secretary = get_user_model().objects.get(username="secretaire.tilleuls")

    response = logged_in_client(secretary).post(
        reverse("people:identity_edit", args=[marcel.public_id]),
        page_data(marcel, used_first_name="Louis"),
    )

    assert response.status_code == 302
    marcel.refresh_from_db()
    assert marcel.used_first_name == "Louis"
    assert marcel.identity_status == IdentityStatus.VALIDATED
    assert marcel.birth_name == "AUBERT"


def test_a_strict_trait_typed_in_another_case_is_not_a_change(secretary_a, resident_a):
    person = validated(resident_a)  # stored before the rule: « Lefebvre », « Marguerite Louise »

    services.identity_update(
        acting_user=secretary_a,
        person=person,
        data={
            "birth_name": "LEFEBVRE",
            "first_names": "MARGUERITE LOUISE",
            "used_first_name": "Maggy",
        },
        expected_version=person.version,
    )

    person.refresh_from_db()
    assert person.identity_status == IdentityStatus.VALIDATED
    assert person.first_names == "Marguerite Louise"  # the checked spelling stays
    assert person.birth_name == "LEFEBVRE"  # written by the rule on save
    assert person.used_first_name == "Maggy"


def test_the_edit_page_of_a_mixed_case_validated_identity_saves_without_a_reason(
    logged_in_client, secretary_a, resident_a
):
    person = validated(resident_a)

    response = logged_in_client(secretary_a).post(
        reverse("people:identity_edit", args=[person.public_id]),
        page_data(person, used_name="Dubois"),
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.identity_status == IdentityStatus.VALIDATED
    assert person.used_name == "DUBOIS"


def test_a_real_correction_of_a_birth_name_still_needs_a_reason(secretary_a, resident_a):
    person = validated(resident_a)

    with pytest.raises(ValidationError) as error:
        services.identity_update(
            acting_user=secretary_a,
            person=person,
            data={"birth_name": "LEFÈBVRE"},
            expected_version=person.version,
        )

    assert "Indiquez le motif de la correction" in error.value.message_dict["reason"][0]


def test_a_service_writes_names_by_the_rule_whatever_the_caller_gives(secretary_a, ehpad_a):
    person = services.person_create(
        acting_user=secretary_a,
        establishment=ehpad_a,
        data=identity(birth_name="  dupré-lefèvre ", first_names="Hélène   Marie"),
    )

    person.refresh_from_db()
    assert person.birth_name == "DUPRÉ-LEFÈVRE" and person.first_names == "Hélène Marie"


def test_the_migration_writes_the_names_recorded_before_the_rule(db):
    legacy = PersonFactory(birth_name="Martin", used_name="girard", first_names=" Jeanne  Marie")
    migration = import_module("dui.people.migrations.0009_normalise_person_names")

    migration.normalise(django_apps, None)

    legacy.refresh_from_db()
    assert (legacy.birth_name, legacy.used_name, legacy.first_names) == (
        "MARTIN",
        "GIRARD",
        "Jeanne Marie",
    )


def test_a_merge_sees_the_same_traits_written_in_another_case(director_a, unit_a):
    from dui.people.models import InsOid
    from dui.people.nir import nir_key

    ins = f"2410369383012{nir_key('2410369383012'):02d}"
    kept = PersonFactory(
        birth_name="MARTIN", first_names="Jeanne", birth_date=date(1941, 3, 12), sex="F"
    )
    merged = PersonFactory(
        birth_name="Martin", first_names="JEANNE", birth_date=date(1941, 3, 12), sex="F"
    )
    Person.objects.filter(pk=merged.pk).update(
        ins_number=ins, ins_oid=InsOid.NIR, identity_status="RECUP"
    )
    for p in (kept, merged):
        CareTeamMembershipFactory(person=p, establishment=unit_a.establishment, unit=unit_a)
    merged.refresh_from_db()

    result = services.person_merge(
        acting_user=director_a,
        kept=kept,
        merged=merged,
        reason="Doublon",
        expected_version=kept.version,
    )

    assert result.ins_number == ins  # the INS vouches for the same traits


# --- Finding 9: plausible names ---------------------------------------------------------------


def test_a_name_with_markup_is_refused_by_the_service_and_nothing_is_saved(secretary_a, ehpad_a):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            acting_user=secretary_a, establishment=ehpad_a, data=identity(birth_name=MARKUP)
        )

    assert error.value.message_dict["birth_name"] == [NAME_REFUSED % "< > ( 1 ) /"]
    assert not Person.objects.exists()


@pytest.mark.parametrize("field", ["birth_name", "first_names", "used_name", "used_first_name"])
def test_the_identity_page_shows_the_refusal_next_to_the_name(logged_in_client, secretary_a, field):
    data = {
        "birth_name": "MARTIN",
        "first_names": "Jeanne",
        "used_name": "",
        "used_first_name": "",
        "birth_date_text": "12/03/1941",
        "sex": "F",
        "birthplace_code": "69383",
        "idempotency_key": str(uuid.uuid4()),
        field: "Jeanne<b>",
    }

    response = logged_in_client(secretary_a).post(reverse("people:create"), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [NAME_REFUSED % "< >"]
    assert not Person.objects.exists()


def test_a_name_without_a_letter_is_refused(secretary_a, ehpad_a):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            acting_user=secretary_a, establishment=ehpad_a, data=identity(used_name="- '")
        )

    assert error.value.message_dict["used_name"] == ["Un nom contient au moins une lettre."]


def test_a_relative_with_markup_in_the_name_is_refused(secretary_a, resident_a):
    from dui.people.models import Contact

    with pytest.raises(ValidationError) as error:
        entourage.contact_create(
            acting_user=secretary_a,
            person=resident_a,
            data={
                "last_name": "Durand",
                "first_name": '"><img src=x onerror=alert(1)>',
                "relationship": Relationship.CHILD,
                "phone": "06 12 34 56 78",
            },
        )

    assert error.value.message_dict["first_name"][0].startswith("Un nom ne contient que")
    assert not Contact.objects.filter(person=resident_a).exists()


def test_a_relative_s_name_is_tidied(secretary_a, resident_a):
    contact = entourage.contact_create(
        acting_user=secretary_a,
        person=resident_a,
        data={
            "last_name": "  N’Guyen ",
            "first_name": "Anne‐Sophie",
            "relationship": Relationship.CHILD,
            "phone": "06 12 34 56 78",
        },
    )

    assert (contact.last_name, contact.first_name) == ("N'Guyen", "Anne-Sophie")


def test_an_inquiry_for_a_prospect_named_with_markup_is_refused(secretary_a, ehpad_a):
    from dui.admissions.models import Inquiry

    with pytest.raises(ValidationError) as error:
        inquiries.inquiry_create(
            acting_user=secretary_a,
            establishment=ehpad_a,
            data={
                "received_at": dates.now() - timedelta(days=1),
                "channel": "phone",
                "requester_kind": "relative",
                "requester_name": "Mme Durand",
                "prospect_birth_name": MARKUP,
            },
        )

    assert "prospect_birth_name" in error.value.message_dict
    assert not Inquiry.objects.exists()
