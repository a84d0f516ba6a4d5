"""The admission workflow (issue 11, item 7): the pre-admission visit optional per
establishment, the médecin coordonnateur's opinion before an EHPAD acceptance (CASF D312-158
2°), the conclusion of an opinion shown to the committee without its content, who made the
application and where to write to them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.admissions.models import (
    AdmissionDecision,
    AdmissionSettings,
    OrientationOverride,
    PieceKind,
    RequesterKind,
)
from dui.admissions.pipeline import TRANSITIONS, WITHOUT_VISIT, allowed_next
from dui.admissions.selectors import admission_settings, visit_required
from dui.admissions.services import evaluation, inquiries
from dui.admissions.services.applications import application_applicant_set
from dui.admissions.services.configuration import admission_settings_save
from dui.core import dates
from dui.organisation.models import EstablishmentCategory
from tests.admissions.helpers import S, key, move, new_application, orient, text
from tests.factories import EstablishmentFactory, professional
from tests.refusals import assert_refused, assert_service_refused


def decide(user, application, outcome, **extra):
    application.refresh_from_db()
    return evaluation.decision_record(
        acting_user=user,
        application=application,
        outcome=outcome,
        expected_version=application.version,
        **extra,
    )


def page(application):
    return reverse("admissions:application_detail", args=[application.public_id])


# --- The pre-admission visit, optional per establishment --------------------------------------


@pytest.mark.parametrize(
    "category, required",
    [
        (EstablishmentCategory.EHPAD, True),  # she comes to live there: she sees it first
        (EstablishmentCategory.IME, True),
        (EstablishmentCategory.MAS, True),
        (EstablishmentCategory.SESSAD, False),  # a service at home, in ordinary settings
        (EstablishmentCategory.SSIAD, False),
        (EstablishmentCategory.ESAT, False),  # a trial period serves there
        (EstablishmentCategory.CHRS, False),  # emergency shelter
    ],
)
def test_the_visit_is_required_by_default_where_the_person_comes_to_live(
    organisation, category, required
):
    establishment = EstablishmentFactory(organisation=organisation, category=category)
    assert visit_required(establishment) is required
    assert admission_settings(establishment).version == 0  # nothing written on a read


def test_without_the_visit_only_the_acceptance_from_the_evaluation_is_added():
    assert {S.EVALUATION: frozenset({S.ACCEPTED})} == WITHOUT_VISIT
    assert S.ACCEPTED not in allowed_next(S.EVALUATION)
    assert allowed_next(S.EVALUATION, visit_required=False) == TRANSITIONS[S.EVALUATION] | {
        S.ACCEPTED
    }
    for status in TRANSITIONS:
        if status != S.EVALUATION:
            assert allowed_next(status, visit_required=False) == TRANSITIONS[status]


def test_a_sessad_accepts_from_the_evaluation_without_a_visit(director_sessad, sessad, today):
    secretary = professional(username="sec.sessad", profession="secretaire", establishment=sessad)
    application = new_application(secretary, sessad, source="mdph", statuses=(S.EVALUATION,))
    orient(secretary, application.person, "7.8", today)
    decide(director_sessad, application, "accepted")
    application.refresh_from_db()
    assert application.status == S.ACCEPTED


def test_where_the_visit_is_required_an_acceptance_from_the_evaluation_is_refused(
    in_evaluation, director_a, doctor_a
):
    evaluation.opinion_give(
        acting_user=doctor_a, application=in_evaluation, kind="medical", value="favourable"
    )
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        decide(director_a, in_evaluation, "accepted")
    assert not AdmissionDecision.objects.exists()


def test_the_director_makes_the_visit_optional_journaled_with_history(
    in_evaluation, director_a, doctor_a, ehpad_a
):
    settings = admission_settings_save(
        acting_user=director_a, establishment=ehpad_a, visit_required=False, expected_version=0
    )
    assert settings.version == 1 and not visit_required(ehpad_a)
    assert AccessEvent.objects.filter(
        action=AccessAction.CONFIGURE, object_id=str(settings.public_id)
    ).exists()
    settings = admission_settings_save(
        acting_user=director_a, establishment=ehpad_a, visit_required=False, expected_version=1
    )
    assert settings.history.count() == 2
    evaluation.opinion_give(
        acting_user=doctor_a, application=in_evaluation, kind="medical", value="favourable"
    )
    decide(director_a, in_evaluation, "accepted")  # urgent admission: no visit
    in_evaluation.refresh_from_db()
    assert in_evaluation.status == S.ACCEPTED


def test_only_the_director_sets_the_rules_of_admission(secretary_a, ehpad_a):
    with pytest.raises(AccessDenied) as refused:
        admission_settings_save(
            acting_user=secretary_a, establishment=ehpad_a, visit_required=False, expected_version=0
        )
    assert_service_refused(refused, "Les réglages des admissions sont fixés par la direction")
    assert not AdmissionSettings.objects.exists()


def test_settings_read_before_someone_elses_change_are_refused(director_a, ehpad_a):
    admission_settings_save(
        acting_user=director_a, establishment=ehpad_a, visit_required=False, expected_version=0
    )
    with pytest.raises(ValidationError, match="quelqu'un d'autre"):
        admission_settings_save(
            acting_user=director_a, establishment=ehpad_a, visit_required=True, expected_version=0
        )
    assert not visit_required(ehpad_a)


def test_the_settings_page_is_the_directors(director_a, secretary_a, ehpad_a, logged_in_client):
    url = reverse("admissions:admission_settings")
    client = logged_in_client(director_a)
    assert "Visite de pré-admission obligatoire" in text(client.get(url))
    response = client.post(
        url,
        {
            "mdph_name": "MDPH du Rhône",
            "mdph_address": "146 rue Pierre Corneille\n69003 Lyon",
            "version": "0",
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 302
    settings = AdmissionSettings.objects.get(establishment=ehpad_a)
    assert not settings.visit_required and settings.mdph_name == "MDPH du Rhône"
    assert_refused(
        logged_in_client(secretary_a).get(url),
        "Les réglages des admissions sont fixés par la direction",
        user=secretary_a,
    )


def test_the_page_says_the_visit_is_optional_and_offers_the_acceptance(
    director_a, doctor_a, ehpad_a, in_evaluation, logged_in_client
):
    admission_settings_save(
        acting_user=director_a, establishment=ehpad_a, visit_required=False, expected_version=0
    )
    html = text(logged_in_client(director_a).get(page(in_evaluation)))
    assert 'data-testid="visit-optional"' in html
    assert 'value="accepted"' in html.split('data-testid="decision-form"')[1]


# --- EHPAD: the médecin coordonnateur's opinion (CASF D312-158 2°) -----------------------------


def test_an_ehpad_acceptance_without_the_coordinators_opinion_is_refused_d312_158(
    in_evaluation, secretary_a, director_a
):
    application = move(secretary_a, in_evaluation, S.VISIT_PLANNED, S.VISIT_DONE)
    with pytest.raises(ValidationError) as error:
        decide(director_a, application, "accepted")
    assert "D312-158" in error.value.message_dict["without_medical_opinion_reason"][0]
    application.refresh_from_db()
    assert application.status == S.VISIT_DONE and not AdmissionDecision.objects.exists()


def test_the_opinion_of_another_physician_is_not_the_coordinators_d312_158(
    in_evaluation, secretary_a, director_a, ehpad_a
):
    gp = professional(username="med.a", profession="medecin", establishment=ehpad_a)
    evaluation.opinion_give(
        acting_user=gp, application=in_evaluation, kind="medical", value="favourable"
    )
    application = move(secretary_a, in_evaluation, S.VISIT_PLANNED, S.VISIT_DONE)
    with pytest.raises(ValidationError, match="médecin coordonnateur"):
        decide(director_a, application, "accepted")


def test_the_director_accepts_without_the_opinion_by_writing_why_d312_158(
    in_evaluation, secretary_a, director_a, logged_in_client
):
    application = move(secretary_a, in_evaluation, S.VISIT_PLANNED, S.VISIT_DONE)
    client = logged_in_client(director_a)
    html = text(client.get(page(application)))
    assert 'data-testid="coordinator-opinion-missing"' in html
    assert 'name="without_medical_opinion_reason"' in html
    response = client.post(
        reverse("admissions:application_decision", args=[application.public_id]),
        {
            "outcome": "accepted",
            "without_medical_opinion_reason": "Poste de médecin coordonnateur vacant ; avis du "
            "médecin traitant joint au dossier.",
            "decided_on": dates.today().isoformat(),
            "version": application.version,
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 302
    decision = AdmissionDecision.objects.get()
    assert "Poste de médecin coordonnateur vacant" in decision.without_medical_opinion_reason
    assert "Sans l'avis du médecin coordonnateur : Poste" in text(client.get(page(application)))


def test_with_the_coordinators_opinion_no_reason_is_asked_or_kept(visited, director_a):
    decision = decide(director_a, visited, "accepted", without_medical_opinion_reason="sans objet")
    assert decision.without_medical_opinion_reason == ""


def test_an_opinion_keeps_its_authors_profession(in_evaluation, doctor_a):
    opinion = evaluation.opinion_give(
        acting_user=doctor_a, application=in_evaluation, kind="medical", value="reserved"
    )
    assert opinion.author_profession == "medecin_coordonnateur"


def test_a_disability_establishment_does_not_ask_the_coordinators_opinion(
    secretary_ime, director_ime, ime, today
):
    application = new_application(
        secretary_ime, ime, source="mdph", statuses=(S.EVALUATION, S.VISIT_PLANNED, S.VISIT_DONE)
    )
    orient(secretary_ime, application.person, "7.1", today)
    decide(director_ime, application, "accepted")
    application.refresh_from_db()
    assert application.status == S.ACCEPTED


# --- The conclusion of an opinion, without its content ----------------------------------------


def test_the_committee_sees_the_medical_conclusion_without_its_content(
    in_evaluation, doctor_a, director_a, secretary_a, logged_in_client
):
    evaluation.opinion_give(
        acting_user=doctor_a,
        application=in_evaluation,
        kind="medical",
        value="reserved",
        text="Troubles cognitifs sévères : unité protégée nécessaire.",
    )
    for user in (director_a, secretary_a):
        html = text(logged_in_client(user).get(page(in_evaluation)))
        conclusion = html.split('data-testid="opinion-conclusion-medical"')[1].split("</li>")[0]
        assert "Favorable avec réserves" in conclusion
        assert "Troubles cognitifs" not in html
    doctor_page = text(logged_in_client(doctor_a).get(page(in_evaluation)))
    assert "Troubles cognitifs sévères" in doctor_page
    assert 'data-testid="opinion-conclusion-medical"' not in doctor_page


def test_the_social_conclusion_too_is_shown_without_its_content(
    in_evaluation, social_worker_a, secretary_a, logged_in_client
):
    evaluation.opinion_give(
        acting_user=social_worker_a,
        application=in_evaluation,
        kind="social",
        value="unfavourable",
        text="Dette de loyer importante.",
    )
    html = text(logged_in_client(secretary_a).get(page(in_evaluation)))
    assert "Défavorable" in html.split('data-testid="opinion-conclusion-social"')[1]
    assert "Dette de loyer" not in html


# --- Who applied, and where to write to them ------------------------------------------------


def test_converting_an_inquiry_makes_its_requester_the_applicant_with_the_address(
    secretary_a, ehpad_a, today
):
    inquiry = inquiries.inquiry_create(
        acting_user=secretary_a,
        establishment=ehpad_a,
        data={
            "received_at": dates.now(),
            "channel": "phone",
            "requester_kind": "hospital",
            "requester_name": "Mme Durand, assistante sociale",
            "requester_organisation": "Hôpital Édouard-Herriot",
            "prospect_birth_name": "ROUX",
            "prospect_first_names": "Yvonne",
            "prospect_birth_date": today - timedelta(days=90 * 365),
        },
    )
    application = inquiries.inquiry_convert(
        acting_user=secretary_a,
        inquiry=inquiry,
        expected_version=inquiry.version,
        source="hospital",
        place_kind="permanent",
        received_on=today,
        applicant_address={
            "applicant_address": "5 place d'Arsonval",
            "applicant_postcode": "69003",
            "applicant_city": "Lyon",
        },
    )
    assert application.applicant_kind == RequesterKind.HOSPITAL
    assert application.applicant_name == "Mme Durand, assistante sociale"
    assert application.applicant_organisation == "Hôpital Édouard-Herriot"
    assert application.applicant_has_postal_address


def test_the_applicant_is_set_from_the_page(application, secretary_a, logged_in_client):
    client = logged_in_client(secretary_a)
    html = text(client.get(page(application)))
    assert "Adresse postale inconnue" in html
    response = client.post(
        reverse("admissions:application_applicant", args=[application.public_id]),
        {
            "applicant_kind": "relative",
            "applicant_name": "M. Paul MARTIN (fils)",
            "applicant_address": "3 rue Garibaldi",
            "applicant_postcode": "69006",
            "applicant_city": "Lyon",
            "version": application.version,
        },
    )
    assert response.status_code == 302
    html = text(client.get(page(application)))
    assert "M. Paul MARTIN (fils)" in html and "3 rue Garibaldi, 69006 Lyon" in html


def test_a_relative_applicant_needs_a_name_and_a_postcode_has_5_digits(application, secretary_a):
    base = {"applicant_kind": "relative", "applicant_name": "", "applicant_city": "Lyon"}
    with pytest.raises(ValidationError) as error:
        application_applicant_set(
            acting_user=secretary_a,
            application=application,
            data=base,
            expected_version=application.version,
        )
    assert "applicant_name" in error.value.message_dict
    with pytest.raises(ValidationError, match="5 chiffres"):
        application_applicant_set(
            acting_user=secretary_a,
            application=application,
            data={**base, "applicant_name": "Mme X", "applicant_postcode": "6900"},
            expected_version=application.version,
        )
    application.refresh_from_db()
    assert application.applicant_kind == RequesterKind.PERSON


def test_another_piece_says_which_one(application, secretary_a):
    with pytest.raises(ValidationError) as error:
        evaluation.piece_expect(
            acting_user=secretary_a, application=application, kind=PieceKind.OTHER
        )
    assert "detail" in error.value.message_dict
    piece = evaluation.piece_expect(
        acting_user=secretary_a,
        application=application,
        kind=PieceKind.OTHER,
        detail="Justificatif de domicile",
    )
    assert piece.label == "Justificatif de domicile"


# --- The page stays bounded -----------------------------------------------------------------


def test_the_ime_application_page_runs_the_same_number_of_queries_with_more_entries(
    secretary_ime,
    director_ime,
    ime,
    logged_in_client,
    django_assert_max_num_queries,
    today,
):
    """Orientations, overrides and opinions' conclusions: read in a fixed number of queries."""
    client = logged_in_client(director_ime)
    psychologist = professional(
        username="ass.ime", profession="assistant_service_social", establishment=ime
    )
    counts = []
    for n in (1, 4):
        application = new_application(secretary_ime, ime, source="mdph", statuses=(S.EVALUATION,))
        for day in range(n):
            orientation = orient(secretary_ime, application.person, "13.3", today)
            OrientationOverride.objects.create(
                application=application,
                problem="other_kind",
                orientation=orientation,
                checked_on=today + timedelta(days=day),
                warning="MAS",
                reason="Dérogation",
                decided_by=director_ime,
            )
            evaluation.opinion_give(
                acting_user=psychologist, application=application, kind="social", value="reserved"
            )
        client.get(page(application))
        with django_assert_max_num_queries(40) as captured:
            response = client.get(page(application))
        assert response.status_code == 200
        assert text(response).count("Dérogation du") == n
        counts.append(len(captured))
    assert counts[0] == counts[1]
