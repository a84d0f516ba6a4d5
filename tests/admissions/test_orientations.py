"""CDAPH orientations (issue 11, item 6): a type from the national nomenclature, one table of
the types that designate each kind of establishment (CASF L241-6 I 2°), the check at the
acceptance and at the admission with the director's written override, and the notice owed to
the MDPH when the establishment refuses a person the CDAPH oriented (CASF R146-36)."""

import importlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.admissions.models import (
    AdmissionDecision,
    LetterKind,
    Orientation,
    OrientationKind,
    OrientationOverride,
    OrientationProblem,
)
from dui.admissions.orientations import DISABILITY_CATEGORIES, ORIENTATION_FITS, fits
from dui.admissions.selectors import orientation_check
from dui.admissions.services import evaluation, letters
from dui.admissions.services.admission import stay_admit
from dui.admissions.services.configuration import admission_settings_save
from dui.documents.models import Document
from dui.organisation.models import EstablishmentCategory
from dui.stays.models import Stay
from tests.admissions.helpers import S, key, new_application, orient, text
from tests.admissions.test_letters import document_text
from tests.factories import PersonFactory, PlaceFactory, UnitFactory
from tests.refusals import assert_refused, assert_service_refused

TO_VISITED = (S.EVALUATION, S.VISIT_PLANNED, S.VISIT_DONE)


def decide(user, application, outcome, **extra):
    application.refresh_from_db()
    return evaluation.decision_record(
        acting_user=user,
        application=application,
        outcome=outcome,
        expected_version=application.version,
        **extra,
    )


@pytest.fixture
def child(db):
    return PersonFactory(birth_name="PETIT", first_names="Lucas", sex="M")


@pytest.fixture
def ime_application(secretary_ime, ime, child, today):
    """A child's application to the IME, visited, waiting for the committee."""
    return new_application(
        secretary_ime,
        ime,
        person=child,
        source="mdph",
        received_on=today - timedelta(days=20),
        statuses=TO_VISITED,
    )


# --- The nomenclature and the table -----------------------------------------------------------


@pytest.mark.parametrize(
    "category, code",
    [
        # Settled by the wording of the national nomenclature (TRE_R420, J402).
        (EstablishmentCategory.IME, "7.1"),
        (EstablishmentCategory.ITEP, "7.6"),
        (EstablishmentCategory.ITEP, "7.7"),
        (EstablishmentCategory.SESSAD, "7.8"),
        (EstablishmentCategory.MAS, "13.3"),
        (EstablishmentCategory.SAVS, "13.4"),
        (EstablishmentCategory.SAMSAH, "13.5"),
        (EstablishmentCategory.ESAT, "11.5"),
        # Cautious choices (orientations.py): FAM/EAM = médicalisé, foyers = non médicalisé.
        (EstablishmentCategory.FAM, "13.2"),
        (EstablishmentCategory.FOYER_DE_VIE, "13.1"),
        (EstablishmentCategory.FOYER_HEBERGEMENT, "13.1"),
    ],
)
def test_each_orientation_type_designates_its_kind_of_establishment_l241_6(category, code):
    assert fits(category, code)


@pytest.mark.parametrize(
    "category, code",
    [
        (EstablishmentCategory.IME, "13.3"),  # a MAS orientation does not open an IME
        (EstablishmentCategory.MAS, "13.2"),  # nor a FAM one a MAS
        (EstablishmentCategory.FAM, "13.1"),
        (EstablishmentCategory.ESAT, "11.4"),  # the ordinary labour market is not an ESAT
        (EstablishmentCategory.IME, "7.99"),  # « autre ESMS »: the director reads and decides
        (EstablishmentCategory.EHPAD, "13.3"),  # an EHPAD admits without CDAPH orientation
    ],
)
def test_other_types_do_not_fit_l241_6(category, code):
    assert not fits(category, code)


def test_every_disability_category_has_its_types_and_every_type_is_national():
    assert set(ORIENTATION_FITS) == DISABILITY_CATEGORIES
    for kinds in ORIENTATION_FITS.values():
        assert kinds and kinds <= set(OrientationKind.values)


def test_the_national_category_of_a_type_is_its_code_before_the_dot():
    """TDDUI J401: 7 = ESMS enfants, 11 = insertion professionnelle, 13 = ESMS adultes."""
    assert OrientationKind.IME.national_category == "7"
    assert OrientationKind.ESAT.national_category == "11"
    assert OrientationKind.MAS.national_category == "13"


# --- Recording an orientation -----------------------------------------------------------------


def test_a_new_orientation_says_its_type(secretary_ime, ime_application, child, today):
    with pytest.raises(ValidationError) as error:
        orient(secretary_ime, child, "", today)
    assert "type d'orientation" in " ".join(error.value.messages)
    assert not Orientation.objects.exists()


def test_an_orientation_keeps_what_tddui_needs(secretary_ime, ime_application, child, today):
    orientation = orient(
        secretary_ime,
        child,
        OrientationKind.IME,
        today,
        detail="Section SIPFPro, externat",
        qualification="2",
        temporality="permanent",
        creton=False,
        reference="D-2026-0042",
        mdph="MDPH du Rhône\n146 rue Pierre Corneille\n69003 Lyon",
    )
    assert orientation.kind == "7.1" and orientation.qualification == "2"
    assert orientation.label == "IME — institut médico-éducatif"
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, object_id=str(orientation.public_id)
    ).exists()


def test_the_database_refuses_an_orientation_without_any_type(child, today):
    with pytest.raises(IntegrityError, match="orientation_says_its_type"), transaction.atomic():
        Orientation.objects.create(
            person=child, decided_on=today, kind="", detail="", valid_from=today, valid_to=today
        )


@pytest.mark.parametrize(
    "legacy, code",
    [
        ("MAS", "13.3"),
        ("IME Les Sources", "7.1"),
        ("Foyer de vie", "13.1"),
        ("foyer d'hébergement", "13.1"),
        ("ESAT", "11.5"),
        ("FAM", "13.2"),
        ("SESSAD", "7.8"),
        ("FAM ou MAS", ""),  # two types: left to the secretary, the text stays
        ("Établissement adapté", ""),
        ("famille d'accueil", ""),  # « fam » inside a word is not FAM
    ],
)
def test_the_migration_types_an_old_orientation_only_when_its_text_names_one_type(legacy, code):
    migration = importlib.import_module(
        "dui.admissions.migrations.0009_fill_orientation_types_applicants_authors"
    )
    assert migration.legacy_kind(legacy) == code


# --- The check ------------------------------------------------------------------------------


def test_an_ehpad_admits_without_any_orientation(application, today):
    check = orientation_check(application, today)
    assert not check.required and check.fits and not check.blocking


def test_a_valid_ime_orientation_fits_the_ime(secretary_ime, ime_application, child, today):
    orientation = orient(secretary_ime, child, OrientationKind.IME, today)
    check = orientation_check(ime_application, today)
    assert check.required and check.fits and check.orientation == orientation


def test_no_orientation_at_all_is_a_problem(ime_application, today):
    check = orientation_check(ime_application, today)
    assert check.problem == OrientationProblem.NONE_RECORDED and check.blocking
    assert "Aucune orientation CDAPH n'est enregistrée" in check.message


def test_an_orientation_not_valid_on_the_entry_day_is_a_problem(
    secretary_ime, ime_application, child, today
):
    orient(
        secretary_ime,
        child,
        OrientationKind.IME,
        today,
        valid_from=today - timedelta(days=400),
        valid_to=today + timedelta(days=10),
    )
    assert orientation_check(ime_application, today + timedelta(days=10)).fits  # last valid day
    check = orientation_check(ime_application, today + timedelta(days=11))
    assert check.problem == OrientationProblem.NOT_VALID
    assert "Aucune orientation CDAPH n'est valable le" in check.message


def test_an_orientation_of_another_type_is_a_problem(secretary_ime, ime_application, child, today):
    orient(secretary_ime, child, OrientationKind.MAS, today)
    check = orientation_check(ime_application, today)
    assert check.problem == OrientationProblem.OTHER_KIND
    assert "MAS — maison d'accueil spécialisée" in check.message and "IME" in check.message


def test_an_old_orientation_without_type_asks_for_its_type(ime_application, child, today):
    Orientation.objects.create(
        person=child,
        decided_on=today,
        kind="",
        detail="IME ou SESSAD",
        valid_from=today,
        valid_to=today + timedelta(days=300),
    )
    check = orientation_check(ime_application, today)
    assert check.problem == OrientationProblem.UNKNOWN_KIND
    assert "n'est pas précisé" in check.message


# --- At the acceptance ----------------------------------------------------------------------


def test_an_acceptance_without_a_fitting_orientation_stops_with_the_warning_and_saves_nothing(
    secretary_ime, director_ime, ime_application, child, today
):
    orient(secretary_ime, child, OrientationKind.MAS, today)
    with pytest.raises(ValidationError) as error:
        decide(director_ime, ime_application, "accepted")
    messages = error.value.message_dict["orientation_override_reason"]
    assert "ne correspond pas" in messages[0] and "La direction peut passer outre" in messages[0]
    ime_application.refresh_from_db()
    assert ime_application.status == S.VISIT_DONE
    assert not AdmissionDecision.objects.exists() and not OrientationOverride.objects.exists()


def test_the_director_accepts_despite_the_orientation_with_a_written_reason_journaled(
    secretary_ime, director_ime, ime_application, child, today
):
    orientation = orient(secretary_ime, child, OrientationKind.MAS, today)
    decide(
        director_ime,
        ime_application,
        "accepted",
        orientation_override_reason="Révision de l'orientation demandée, accord de la MDPH.",
    )
    ime_application.refresh_from_db()
    assert ime_application.status == S.ACCEPTED
    override = OrientationOverride.objects.get()
    assert override.application == ime_application and override.orientation == orientation
    assert override.problem == OrientationProblem.OTHER_KIND
    assert override.decided_by == director_ime and "accord de la MDPH" in override.reason
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, person=child, object_id=str(override.public_id)
    ).exists()


def test_the_override_is_visible_on_the_application(
    secretary_ime, director_ime, ime_application, child, today, logged_in_client
):
    orient(secretary_ime, child, OrientationKind.MAS, today)
    decide(director_ime, ime_application, "accepted", orientation_override_reason="Accord MDPH")
    page = text(
        logged_in_client(secretary_ime).get(
            reverse("admissions:application_detail", args=[ime_application.public_id])
        )
    )
    assert 'data-testid="orientation-overrides"' in page and "Accord MDPH" in page
    assert "La direction passe outre (Nathalie Rey" in page


# --- At the admission: the API stay_admit calls ----------------------------------------------


def test_the_admission_check_refuses_a_mismatch_no_override_covers(
    secretary_ime, ime_application, child, today
):
    orient(secretary_ime, child, OrientationKind.MAS, today)
    with pytest.raises(ValidationError) as error:
        evaluation.require_orientation_fit(
            acting_user=secretary_ime, application=ime_application, on=today
        )
    assert "orientation_override_reason" in error.value.message_dict


def test_only_the_director_may_override_at_the_admission(
    secretary_ime, ime_application, child, today
):
    orient(secretary_ime, child, OrientationKind.MAS, today)
    with pytest.raises(AccessDenied) as refused:
        evaluation.require_orientation_fit(
            acting_user=secretary_ime,
            application=ime_application,
            on=today,
            override_reason="Je pense que ça ira",
        )
    assert_service_refused(refused, "Seule la direction de l'établissement peut passer outre")
    assert refused.value.person == child
    assert not OrientationOverride.objects.exists()


def test_an_override_given_at_the_acceptance_covers_the_admission_for_the_same_problem(
    secretary_ime, director_ime, ime_application, child, today
):
    orient(secretary_ime, child, OrientationKind.MAS, today)
    decide(director_ime, ime_application, "accepted", orientation_override_reason="Accord MDPH")
    check = evaluation.require_orientation_fit(
        acting_user=secretary_ime, application=ime_application, on=today + timedelta(days=30)
    )
    assert check.override is not None and OrientationOverride.objects.count() == 1


def test_a_new_problem_at_the_admission_needs_a_new_override(
    secretary_ime, director_ime, ime_application, child, today
):
    """Accepted with a fitting orientation that expires before the entry: the admission on
    a day it no longer covers is stopped again."""
    orient(
        secretary_ime,
        child,
        OrientationKind.IME,
        today,
        valid_from=today - timedelta(days=300),
        valid_to=today + timedelta(days=5),
    )
    decide(director_ime, ime_application, "accepted")
    with pytest.raises(ValidationError):
        evaluation.require_orientation_fit(
            acting_user=secretary_ime, application=ime_application, on=today + timedelta(days=6)
        )
    check = evaluation.require_orientation_fit(
        acting_user=director_ime,
        application=ime_application,
        on=today + timedelta(days=6),
        override_reason="Renouvellement demandé le mois dernier, en cours d'instruction.",
    )
    assert check.override.problem == OrientationProblem.NOT_VALID


# --- The override from the application page ---------------------------------------------------


def test_the_director_overrides_from_the_page_before_the_committee(
    secretary_ime, director_ime, ime_application, child, today, logged_in_client
):
    orient(secretary_ime, child, OrientationKind.SESSAD, today)
    client = logged_in_client(director_ime)
    page = reverse("admissions:application_detail", args=[ime_application.public_id])
    assert 'data-testid="orientation-override-form"' in text(client.get(page))
    response = client.post(
        reverse("admissions:application_orientation_override", args=[ime_application.public_id]),
        {
            "on": today.isoformat(),
            "reason": "Double orientation en cours",
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 302
    assert OrientationOverride.objects.get().reason == "Double orientation en cours"
    decide(director_ime, ime_application, "accepted")  # the override covers the acceptance
    ime_application.refresh_from_db()
    assert ime_application.status == S.ACCEPTED


def test_a_secretary_posting_an_override_is_refused_and_it_is_journaled(
    secretary_ime, ime_application, child, today, logged_in_client
):
    orient(secretary_ime, child, OrientationKind.SESSAD, today)
    client = logged_in_client(secretary_ime)
    page = reverse("admissions:application_detail", args=[ime_application.public_id])
    assert 'data-testid="orientation-override-form"' not in text(client.get(page))
    response = client.post(
        reverse("admissions:application_orientation_override", args=[ime_application.public_id]),
        {"on": today.isoformat(), "reason": "On verra", "idempotency_key": key()},
    )
    assert_refused(
        response,
        "Seule la direction de l'établissement peut passer outre",
        user=secretary_ime,
        person=child,
    )
    assert not OrientationOverride.objects.exists()


def test_there_is_nothing_to_override_when_the_orientation_fits(
    secretary_ime, director_ime, ime_application, child, today
):
    orient(secretary_ime, child, OrientationKind.IME, today)
    with pytest.raises(ValidationError, match="rien à déroger"):
        evaluation.orientation_override(
            acting_user=director_ime, application=ime_application, on=today, reason="Par principe"
        )
    assert not OrientationOverride.objects.exists()


# --- The refusal and the notice to the MDPH (CASF R146-36) ------------------------------------


def _mdph_settings(director, establishment):
    admission_settings_save(
        acting_user=director,
        establishment=establishment,
        visit_required=True,
        mdph_name="MDPH du Rhône",
        mdph_address="146 rue Pierre Corneille\n69003 Lyon",
        expected_version=0,
    )


def test_a_refusal_of_an_oriented_person_is_owed_to_the_mdph_within_15_days_r146_36(
    secretary_ime, director_ime, ime_application, child, today, logged_in_client
):
    orient(secretary_ime, child, OrientationKind.IME, today)
    decision = decide(
        director_ime, ime_application, "refused", reason="Aucune place en internat avant 2028."
    )
    assert decision.mdph_notice_due_by == decision.decided_on + timedelta(days=15)
    page = text(
        logged_in_client(secretary_ime).get(
            reverse("admissions:application_detail", args=[ime_application.public_id])
        )
    )
    assert 'data-testid="mdph-owed"' in page and "À transmettre à la MDPH" in page


def test_a_refusal_needs_its_reason(director_ime, ime_application):
    with pytest.raises(ValidationError, match="motif"):
        decide(director_ime, ime_application, "refused", reason=" ")
    assert not AdmissionDecision.objects.exists()


def test_an_ehpad_refusal_owes_nothing_to_the_mdph(visited, director_a):
    decision = decide(director_a, visited, "refused", reason="Soins hors de nos capacités.")
    assert decision.mdph_notice_due_by is None


def test_the_mdph_notice_is_a_pdf_with_the_orientation_the_reason_the_places_and_the_waiting(
    secretary_ime, director_ime, ime_application, ime, child, today, logged_in_client
):
    _mdph_settings(director_ime, ime)
    orient(secretary_ime, child, OrientationKind.IME, today, reference="D-2026-0042")
    decision = decide(
        director_ime, ime_application, "refused", reason="Aucune place en internat avant 2028."
    )
    # One other child waits for a place at the IME.
    new_application(secretary_ime, ime, statuses=(*TO_VISITED, S.ACCEPTED, S.WAITING_LIST))
    document = letters.letter_generate(
        acting_user=secretary_ime, application=ime_application, kind=LetterKind.MDPH_NOTICE
    )
    _, pdf = document_text(document)
    flat = " ".join(pdf.split())
    assert "MDPH du Rhône" in flat and "146 rue Pierre Corneille" in flat
    assert "IME — institut médico-éducatif" in flat and "D-2026-0042" in flat
    assert "Lucas PETIT" in flat and "R146-36" in flat
    assert "Aucune place en internat avant 2028." in flat
    assert "Places disponibles à ce jour : 0" in flat
    assert "Personnes en attente d'admission : 1" in flat
    decision.refresh_from_db()
    assert decision.mdph_notice == document
    page = text(
        logged_in_client(secretary_ime).get(
            reverse("admissions:application_detail", args=[ime_application.public_id])
        )
    )
    assert 'data-testid="mdph-owed"' not in page and "Information de la MDPH" in page


def test_the_mdph_notice_refuses_to_be_generated_without_the_mdphs_address(
    secretary_ime, director_ime, ime_application, child, today
):
    orient(secretary_ime, child, OrientationKind.IME, today)
    decide(director_ime, ime_application, "refused", reason="Pas de place.")
    with pytest.raises(ValidationError) as error:
        letters.letter_generate(
            acting_user=secretary_ime, application=ime_application, kind=LetterKind.MDPH_NOTICE
        )
    assert "L'adresse de la MDPH n'est pas connue" in " ".join(error.value.messages)
    assert not Document.objects.filter(person=child).exists()


def test_the_orientations_own_mdph_is_written_to_rather_than_the_establishments(
    secretary_ime, director_ime, ime_application, ime, child, today
):
    _mdph_settings(director_ime, ime)
    orient(secretary_ime, child, OrientationKind.IME, today, mdph="MDPH de l'Ain\n01000 Bourg")
    decide(director_ime, ime_application, "refused", reason="Pas de place.")
    document = letters.letter_generate(
        acting_user=secretary_ime, application=ime_application, kind=LetterKind.MDPH_NOTICE
    )
    _, pdf = document_text(document)
    assert "MDPH de l'Ain" in pdf and "MDPH du Rhône" not in pdf


def test_no_mdph_notice_for_an_application_the_cdaph_does_not_concern(
    application, secretary_a, director_a, visited
):
    decide(director_a, visited, "refused", reason="Pas de place.")
    with pytest.raises(ValidationError, match="ne relève pas d'une orientation"):
        letters.letter_generate(
            acting_user=secretary_a, application=visited, kind=LetterKind.MDPH_NOTICE
        )


# --- Through the admission itself (stay_admit and the admission page) ------------------------


@pytest.fixture
def ime_place(ime):
    return PlaceFactory(unit=UnitFactory(establishment=ime, name="Groupe des Tilleuls"), label="T1")


def _admit(user, application, place, day, **extra):
    application.refresh_from_db()
    return stay_admit(
        acting_user=user,
        application=application,
        unit=place.unit,
        place=place,
        started_on=day,
        expected_version=application.version,
        **extra,
    )


def test_an_admission_on_a_day_the_orientation_no_longer_covers_is_stopped_and_saves_nothing(
    secretary_ime, director_ime, ime_application, ime_place, child, today
):
    """CASF L241-6: the entry rests on the CDAPH decision; accepted while it was valid, the
    child cannot enter after it expired without the director's written reason."""
    orient(
        secretary_ime,
        child,
        OrientationKind.IME,
        today,
        valid_from=today - timedelta(days=300),
        valid_to=today + timedelta(days=5),
    )
    decide(director_ime, ime_application, "accepted")
    with pytest.raises(ValidationError) as error:
        _admit(secretary_ime, ime_application, ime_place, today + timedelta(days=6))
    assert "Aucune orientation CDAPH n'est valable" in " ".join(
        error.value.message_dict["orientation_override_reason"]
    )
    assert not Stay.objects.filter(person=child).exists()
    ime_application.refresh_from_db()
    assert ime_application.status == S.ACCEPTED


def test_the_director_admits_despite_an_expired_orientation_with_a_reason_journaled(
    secretary_ime, director_ime, ime_application, ime_place, child, today
):
    orient(
        secretary_ime,
        child,
        OrientationKind.IME,
        today,
        valid_from=today - timedelta(days=300),
        valid_to=today + timedelta(days=5),
    )
    decide(director_ime, ime_application, "accepted")
    stay = _admit(
        director_ime,
        ime_application,
        ime_place,
        today + timedelta(days=6),
        orientation_override_reason="Renouvellement déposé à la MDPH le mois dernier.",
    )
    assert stay.person == child
    override = OrientationOverride.objects.get(problem=OrientationProblem.NOT_VALID)
    assert override.reason == "Renouvellement déposé à la MDPH le mois dernier."
    assert AccessEvent.objects.filter(
        object_type="admissions.OrientationOverride", person=child, user=director_ime
    ).exists()


def test_the_admission_page_shows_the_orientation_problem_and_asks_the_reason(
    secretary_ime, director_ime, ime_application, ime_place, child, today, logged_in_client
):
    orient(
        secretary_ime,
        child,
        OrientationKind.IME,
        today,
        valid_from=today - timedelta(days=300),
        valid_to=today + timedelta(days=5),
    )
    decide(director_ime, ime_application, "accepted")
    ime_application.refresh_from_db()
    url = reverse("admissions:admit", kwargs={"application_id": ime_application.public_id})
    day = today + timedelta(days=6)
    client = logged_in_client(director_ime)
    page = text(client.get(url, {"date": day.isoformat(), "unit": ime_place.unit.public_id}))
    assert "Aucune orientation CDAPH n'est valable" in page
    assert "Admission malgré l'orientation CDAPH : pourquoi ?" in page
    response = client.post(
        url,
        {
            "unit": ime_place.unit.public_id,
            "started_on": day.isoformat(),
            "place": ime_place.public_id,
            "version": ime_application.version,
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 400
    assert "La direction peut passer outre en écrivant pourquoi." in text(response)
    assert not Stay.objects.filter(person=child).exists()
    response = client.post(
        url,
        {
            "unit": ime_place.unit.public_id,
            "started_on": day.isoformat(),
            "place": ime_place.public_id,
            "orientation_override_reason": "Renouvellement en cours d'instruction.",
            "version": ime_application.version,
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 302
    assert Stay.objects.get(person=child).started_on == day


def test_a_fitting_orientation_asks_no_reason_on_the_admission_page(
    secretary_ime, director_ime, ime_application, ime_place, child, today, logged_in_client
):
    orient(secretary_ime, child, OrientationKind.IME, today)
    decide(director_ime, ime_application, "accepted")
    url = reverse("admissions:admit", kwargs={"application_id": ime_application.public_id})
    page = text(logged_in_client(secretary_ime).get(url, {"unit": ime_place.unit.public_id}))
    assert "Admission malgré l'orientation CDAPH" not in page
