"""A date that describes a person cannot come before their birth (security issue, finding 9):
an allergy « connue depuis le 01/01/1800 » was accepted. One rule
(`dui.people.plausibility`), called by every entry's `clean()`: each service refuses such a
date with a French message naming the birth date, next to the field, and saves nothing."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.access.models import InformationCategory
from dui.admissions.models import AdmissionRequest
from dui.admissions.services.applications import application_create
from dui.assessments.instruments import get as instrument
from dui.assessments.models import Assessment
from dui.assessments.services import assessment_save_draft
from dui.care import services as care
from dui.care.models import Allergy
from dui.core import dates
from dui.documents.models import Document, DocumentKind
from dui.documents.services import document_upload
from dui.organisation.models import PlaceKind
from dui.people import administrative, entourage, services
from dui.people.models import (
    BirthDatePrecision,
    Contact,
    EvidenceKind,
    IdentityEvidence,
    LegalProtection,
    Person,
    Relationship,
    SocialAid,
)
from dui.people.plausibility import before_birth_errors
from dui.stays.models import Stay
from dui.stays.services import stay_open
from tests.documents.samples import minimal_pdf, uploaded
from tests.factories import (
    CareTeamMembershipFactory,
    PersonFactory,
    PlaceFactory,
    professional,
)

BORN = date(1941, 3, 12)
LONG_BEFORE = date(1800, 1, 1)
THE_DAY_BEFORE = date(1941, 3, 11)


def before_birth(day: date, birth: str = "12/03/1941") -> str:
    return (
        f"Cette date ({day:%d/%m/%Y}) précède la naissance de la personne (date de naissance : "
        f"{birth})."
    )


@pytest.fixture
def jeanne(unit_a):
    """Born on 12 March 1941, living in unit A."""
    person = PersonFactory(birth_name="MARTIN", first_names="Jeanne", birth_date=BORN, sex="F")
    CareTeamMembershipFactory(person=person, establishment=unit_a.establishment, unit=unit_a)
    return person


# --- The rule -----------------------------------------------------------------------------------


def test_the_day_of_birth_and_after_are_plausible_the_day_before_is_not(jeanne):
    assert before_birth_errors(jeanne, a=BORN, b=dates.today(), c=None) == {}
    assert before_birth_errors(jeanne, a=THE_DAY_BEFORE) == {"a": before_birth(THE_DAY_BEFORE)}


def test_with_an_unknown_day_and_month_the_year_of_birth_is_the_limit(unit_a):
    person = PersonFactory(
        birth_date=date(1941, 1, 1), birth_date_precision=BirthDatePrecision.YEAR
    )

    assert before_birth_errors(person, a=date(1941, 6, 15)) == {}
    assert before_birth_errors(person, a=date(1940, 12, 31)) == {
        "a": before_birth(date(1940, 12, 31), birth="00/00/1941")
    }


# --- Every entry that dates the person's life -------------------------------------------------


@pytest.mark.parametrize("noted_on", [LONG_BEFORE, THE_DAY_BEFORE])
def test_an_allergy_known_since_before_birth_is_refused(nurse_a, jeanne, noted_on):
    with pytest.raises(ValidationError) as error:
        care.allergy_create(
            acting_user=nurse_a,
            person=jeanne,
            data={"substance": "Pénicilline", "kind": "drug", "noted_on": noted_on},
        )

    assert error.value.message_dict == {"noted_on": [before_birth(noted_on)]}
    assert not Allergy.objects.exists()


def test_the_allergy_page_shows_the_refusal_next_to_the_date(logged_in_client, nurse_a, jeanne):
    response = logged_in_client(nurse_a).post(
        reverse("care:allergy_create", kwargs={"person_id": jeanne.public_id}),
        {
            "substance": "Pénicilline",
            "kind": "drug",
            "severity": "severe",
            "noted_on": "1800-01-01",
            "idempotency_key": str(uuid.uuid4()),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["noted_on"] == [before_birth(LONG_BEFORE)]
    assert not Allergy.objects.exists()


def test_an_allergy_known_since_birth_is_recorded(nurse_a, jeanne):
    allergy = care.allergy_create(
        acting_user=nurse_a,
        person=jeanne,
        data={"substance": "Lactose", "kind": "food", "noted_on": BORN},
    )

    assert allergy.noted_on == BORN


def test_an_assessment_dated_before_birth_is_refused(aide_a, jeanne):
    with pytest.raises(ValidationError) as error:
        assessment_save_draft(
            acting_user=aide_a,
            person=jeanne,
            instrument=instrument("braden"),
            assessed_on=LONG_BEFORE,
            answers={},
        )

    assert error.value.message_dict == {"assessed_on": [before_birth(LONG_BEFORE)]}
    assert not Assessment.objects.exists()


def test_a_stay_entered_before_birth_is_refused(secretary_a, unit_a, jeanne):
    place = PlaceFactory(unit=unit_a, label="101")

    with pytest.raises(ValidationError) as error:
        stay_open(
            acting_user=secretary_a,
            person=jeanne,
            establishment=unit_a.establishment,
            unit=unit_a,
            place=place,
            kind=PlaceKind.PERMANENT,
            started_on=THE_DAY_BEFORE,
        )

    assert error.value.message_dict == {"started_on": [before_birth(THE_DAY_BEFORE)]}
    assert not Stay.objects.exists()


@pytest.mark.parametrize("field", ["received_on", "wished_start"])
def test_an_application_dated_before_birth_is_refused(secretary_a, ehpad_a, jeanne, field):
    dates_of = {"received_on": dates.today(), "wished_start": None, field: LONG_BEFORE}

    with pytest.raises(ValidationError) as error:
        application_create(
            acting_user=secretary_a,
            establishment=ehpad_a,
            person=jeanne,
            source="direct",
            place_kind="permanent",
            **dates_of,
        )

    assert error.value.message_dict[field] == [before_birth(LONG_BEFORE)]
    assert not AdmissionRequest.objects.exists()


def test_a_document_dated_before_birth_is_refused(secretary_a, jeanne):
    with pytest.raises(ValidationError) as error:
        document_upload(
            acting_user=secretary_a,
            person=jeanne,
            kind=DocumentKind.INSURANCE,
            title="Attestation",
            document_date=LONG_BEFORE,
            category=InformationCategory.ADMINISTRATIVE,
            uploaded_file=uploaded(minimal_pdf()),
        )

    assert error.value.message_dict["document_date"] == [before_birth(LONG_BEFORE)]
    assert not Document.objects.exists()


def test_a_protection_measure_starting_before_birth_is_refused(secretary_a, jeanne):
    with pytest.raises(ValidationError) as error:
        entourage.legal_protection_create(
            acting_user=secretary_a,
            person=jeanne,
            data={"kind": "sauvegarde", "scope": "both", "started_on": THE_DAY_BEFORE},
        )

    assert error.value.message_dict == {"started_on": [before_birth(THE_DAY_BEFORE)]}
    assert not LegalProtection.objects.exists()


def test_a_trusted_person_designated_before_birth_is_refused(secretary_a, jeanne):
    son = entourage.contact_create(
        acting_user=secretary_a,
        person=jeanne,
        data={"last_name": "MARTIN", "first_name": "Paul", "relationship": Relationship.CHILD},
    )

    with pytest.raises(ValidationError) as error:
        entourage.trusted_person_designate(
            acting_user=secretary_a,
            contact=son,
            designated_on=LONG_BEFORE,
            expected_version=son.version,
        )

    assert error.value.message_dict == {"trusted_person_designated_on": [before_birth(LONG_BEFORE)]}
    son.refresh_from_db()
    assert not son.is_trusted_person and not Contact.objects.trusted_person_of(jeanne).exists()


def test_an_identity_document_checked_before_birth_is_refused(secretary_a, jeanne):
    with pytest.raises(ValidationError) as error:
        services.identity_evidence_record(
            acting_user=secretary_a,
            person=jeanne,
            kind=EvidenceKind.IDENTITY_CARD,
            checked_on=LONG_BEFORE,
            traits_match=True,
            expected_version=jeanne.version,
        )

    assert error.value.message_dict == {"checked_on": [before_birth(LONG_BEFORE)]}
    assert not IdentityEvidence.objects.exists()
    jeanne.refresh_from_db()
    assert jeanne.identity_status == "PROV"


@pytest.mark.parametrize("field", ["decision_on", "starts_on"])
def test_a_social_aid_dated_before_birth_is_refused(ehpad_a, jeanne, field):
    social_worker = professional(
        username="ass.a", profession="assistant_service_social", establishment=ehpad_a
    )
    days = {"decision_on": dates.today(), field: LONG_BEFORE}

    with pytest.raises(ValidationError) as error:
        administrative.social_aid_create(
            acting_user=social_worker, person=jeanne, kind="apa", **days
        )

    assert error.value.message_dict[field] == [before_birth(LONG_BEFORE)]
    assert not SocialAid.objects.exists()


def test_a_photo_consent_given_before_birth_is_refused(secretary_a, jeanne):
    with pytest.raises(ValidationError) as error:
        services.identity_update(
            acting_user=secretary_a,
            person=jeanne,
            data={"photo_consent": True, "photo_consent_on": LONG_BEFORE},
            expected_version=jeanne.version,
        )

    assert error.value.message_dict == {"photo_consent_on": [before_birth(LONG_BEFORE)]}
    assert not Person.objects.get(pk=jeanne.pk).photo_consent


def test_an_allergy_dated_before_birth_can_still_be_marked_entered_in_error(nurse_a, jeanne):
    # Recorded before the rule: it must not stay stuck in the record.
    allergy = Allergy.objects.create(
        person=jeanne, substance="Latex", kind="environment", noted_on=LONG_BEFORE
    )

    care.allergy_mark_entered_in_error(
        acting_user=nurse_a, allergy=allergy, reason="Date fantaisiste", expected_version=1
    )

    allergy.refresh_from_db()
    assert allergy.entered_in_error
