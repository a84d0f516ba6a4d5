"""The services of the application page: pieces, MDPH orientation, opinions, visit and the
committee's decision — each by the right person, each moving the pipeline only as allowed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent
from dui.admissions.models import AdmissionDecision, EvaluationOpinion, PieceKind, PreAdmissionVisit
from dui.admissions.selectors import checklist, missing_pieces, orientation_warning
from dui.admissions.services import evaluation
from dui.admissions.services.applications import application_move
from dui.core import dates
from tests.admissions.helpers import S, move, new_application, upload_document
from tests.refusals import assert_service_refused


def plan_visit(user, application, planned_at=None):
    application.refresh_from_db()
    return evaluation.visit_plan(
        acting_user=user,
        application=application,
        planned_at=planned_at or dates.now(),
        expected_version=application.version,
    )


def decide(user, application, outcome, **extra):
    application.refresh_from_db()
    extra.setdefault("expected_version", application.version)
    return evaluation.decision_record(
        acting_user=user, application=application, outcome=outcome, **extra
    )


# --- Pieces ------------------------------------------------------------------------------------


def test_an_ehpad_application_expects_both_parts_of_the_cerfa_by_default(application):
    kinds = [row["kind"] for row in checklist(application)]
    assert kinds == [PieceKind.CERFA_ADMINISTRATIVE, PieceKind.CERFA_MEDICAL]


def test_a_disability_service_application_expects_the_mdph_notification(secretary_mas, mas):
    application = new_application(secretary_mas, mas, source="mdph")
    assert [row["kind"] for row in checklist(application)] == [PieceKind.MDPH_NOTIFICATION]


def test_receiving_a_default_piece_stores_it_with_its_date_and_journals_it(
    application, secretary_a, today
):
    piece = evaluation.piece_receive(
        acting_user=secretary_a,
        application=application,
        kind=PieceKind.CERFA_ADMINISTRATIVE,
        received_on=today,
    )
    assert piece.received_on == today and piece.created_by == secretary_a
    rows = checklist(application)
    assert missing_pieces(rows) == [str(PieceKind.CERFA_MEDICAL.label)]
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, object_id=str(piece.public_id)
    ).exists()


def test_an_added_piece_is_expected_then_received_on_the_same_row(application, secretary_a, today):
    expected = evaluation.piece_expect(
        acting_user=secretary_a, application=application, kind=PieceKind.TAX_NOTICE
    )
    received = evaluation.piece_receive(
        acting_user=secretary_a,
        application=application,
        kind=PieceKind.TAX_NOTICE,
        received_on=today,
    )
    assert received.pk == expected.pk
    with pytest.raises(ValidationError, match="déjà dans la liste"):
        evaluation.piece_expect(
            acting_user=secretary_a, application=application, kind=PieceKind.TAX_NOTICE
        )


def test_a_piece_cannot_be_received_in_the_future_or_before_the_application(
    application, secretary_a, today
):
    for day in (today + timedelta(days=1), application.received_on - timedelta(days=1)):
        with pytest.raises(ValidationError):
            evaluation.piece_receive(
                acting_user=secretary_a,
                application=application,
                kind=PieceKind.CERFA_MEDICAL,
                received_on=day,
            )
    assert not application.pieces.exists()


def test_a_piece_may_only_point_to_a_document_of_the_same_person(
    application, secretary_a, resident_a, today
):
    other = upload_document(secretary_a, resident_a)
    with pytest.raises(ValidationError, match="pas dans le dossier"):
        evaluation.piece_receive(
            acting_user=secretary_a,
            application=application,
            kind=PieceKind.CERFA_MEDICAL,
            received_on=today,
            document=other,
        )


def test_a_user_of_another_establishment_cannot_mark_a_piece_received(
    application, secretary_b, today
):
    with pytest.raises(AccessDenied) as refused:
        evaluation.piece_receive(
            acting_user=secretary_b,
            application=application,
            kind=PieceKind.CERFA_MEDICAL,
            received_on=today,
        )
    assert_service_refused(refused, "Cette demande est instruite par un autre établissement.")
    assert refused.value.person == application.person
    assert not application.pieces.exists()


# --- MDPH orientation --------------------------------------------------------------------------


def _orientation(user, person, valid_to, today):
    return evaluation.orientation_record(
        acting_user=user,
        person=person,
        decided_on=today - timedelta(days=400),
        kind="13.3",
        valid_from=today - timedelta(days=400),
        valid_to=valid_to,
    )


def test_an_orientation_expiring_in_90_days_warns_but_not_in_91_days(secretary_mas, mas, today):
    application = new_application(secretary_mas, mas, source="mdph")
    in_90 = _orientation(secretary_mas, application.person, today + timedelta(days=90), today)
    in_91 = _orientation(secretary_mas, application.person, today + timedelta(days=91), today)
    assert "expire le" in orientation_warning(in_90, today)
    assert "dans 90 jours" in orientation_warning(in_90, today)
    assert orientation_warning(in_91, today) == ""


def test_an_expired_orientation_warns_that_it_has_expired(secretary_mas, mas, today):
    application = new_application(secretary_mas, mas, source="mdph")
    expired = _orientation(secretary_mas, application.person, today - timedelta(days=1), today)
    assert "a expiré" in orientation_warning(expired, today)
    ending_today = _orientation(secretary_mas, application.person, today, today)
    assert "dans 0 jours" in orientation_warning(ending_today, today)


def test_an_orientation_ending_before_it_starts_is_refused(secretary_mas, mas, today):
    application = new_application(secretary_mas, mas, source="mdph")
    with pytest.raises(ValidationError, match="fin de validité"):
        evaluation.orientation_record(
            acting_user=secretary_mas,
            person=application.person,
            decided_on=today,
            kind="13.3",
            valid_from=today,
            valid_to=today - timedelta(days=1),
        )
    assert not application.person.orientations.exists()


# --- Opinions ----------------------------------------------------------------------------------


def test_the_doctor_gives_the_medical_opinion_stored_in_the_medical_category(
    in_evaluation, doctor_a
):
    opinion = evaluation.opinion_give(
        acting_user=doctor_a, application=in_evaluation, kind="medical", value="favourable"
    )
    assert opinion.category == "medical" and opinion.author == doctor_a


def test_a_nurse_cannot_give_the_medical_opinion(in_evaluation, nurse_ehpad_a):
    with pytest.raises(AccessDenied) as refused:
        evaluation.opinion_give(
            acting_user=nurse_ehpad_a,
            application=in_evaluation,
            kind="medical",
            value="favourable",
        )
    assert_service_refused(refused, "L'avis médical est donné par un médecin.")
    assert refused.value.person == in_evaluation.person
    assert not EvaluationOpinion.objects.exists()


def test_the_social_opinion_is_given_by_the_social_worker_not_the_secretary(
    in_evaluation, social_worker_a, secretary_a
):
    opinion = evaluation.opinion_give(
        acting_user=social_worker_a, application=in_evaluation, kind="social", value="reserved"
    )
    assert opinion.category == "social"
    with pytest.raises(AccessDenied) as refused:
        evaluation.opinion_give(
            acting_user=secretary_a, application=in_evaluation, kind="social", value="favourable"
        )
    assert_service_refused(refused, "Votre profession ne peut pas donner l'avis social.")
    assert EvaluationOpinion.objects.count() == 1


def test_opinions_wait_for_the_evaluation(application, doctor_a):
    with pytest.raises(ValidationError, match="pendant l'évaluation"):
        evaluation.opinion_give(
            acting_user=doctor_a, application=application, kind="medical", value="favourable"
        )
    assert not EvaluationOpinion.objects.exists()


# --- Visit -------------------------------------------------------------------------------------


def test_planning_the_visit_moves_the_application_to_visit_planned(in_evaluation, secretary_a):
    plan_visit(secretary_a, in_evaluation, dates.now() + timedelta(days=3))
    in_evaluation.refresh_from_db()
    assert in_evaluation.status == S.VISIT_PLANNED


def test_a_visit_planned_from_a_stale_form_is_refused(in_evaluation, secretary_a):
    read_at = in_evaluation.version
    move(secretary_a, in_evaluation, S.POSTPONED, note="Attente du bilan gériatrique")
    with pytest.raises(ValidationError, match="modifiée par quelqu'un d'autre"):
        evaluation.visit_plan(
            acting_user=secretary_a,
            application=in_evaluation,
            planned_at=dates.now(),
            expected_version=read_at,
        )
    assert not PreAdmissionVisit.objects.exists()


def test_a_visit_cannot_be_reported_done_without_its_report(in_evaluation, secretary_a):
    plan_visit(secretary_a, in_evaluation)
    in_evaluation.refresh_from_db()
    with pytest.raises(ValidationError, match="compte rendu"):
        evaluation.visit_report(
            acting_user=secretary_a,
            application=in_evaluation,
            done_at=dates.now(),
            report="  ",
            expected_version=in_evaluation.version,
        )
    in_evaluation.refresh_from_db()
    assert in_evaluation.status == S.VISIT_PLANNED
    assert PreAdmissionVisit.objects.get().done_at is None


def test_the_page_buttons_cannot_move_to_visit_done_without_the_report(in_evaluation, secretary_a):
    plan_visit(secretary_a, in_evaluation)
    in_evaluation.refresh_from_db()
    with pytest.raises(ValidationError, match="propre formulaire"):
        application_move(
            acting_user=secretary_a,
            application=in_evaluation,
            to_status=S.VISIT_DONE,
            expected_version=in_evaluation.version,
        )
    in_evaluation.refresh_from_db()
    assert in_evaluation.status == S.VISIT_PLANNED


def test_a_reported_visit_moves_the_application_to_visit_done(visited):
    assert visited.status == S.VISIT_DONE
    assert list(visited.events.values_list("to_status", flat=True)) == [
        S.RECEIVED,
        S.EVALUATION,
        S.VISIT_PLANNED,
        S.VISIT_DONE,
    ]


def test_a_visit_done_without_report_is_refused_by_the_database(in_evaluation):
    with pytest.raises(IntegrityError), transaction.atomic():
        PreAdmissionVisit.objects.create(
            application=in_evaluation, planned_at=dates.now(), done_at=dates.now(), report=""
        )


# --- Decision ----------------------------------------------------------------------------------


def test_the_director_accepts_and_the_application_follows(visited, director_a):
    decision = decide(
        director_a, visited, "accepted", committee="Direction, médecin coordonnateur, IDEC"
    )
    visited.refresh_from_db()
    assert visited.status == S.ACCEPTED and decision.decided_by == director_a


def test_a_refusal_without_reason_is_refused_and_nothing_is_saved(visited, director_a):
    with pytest.raises(ValidationError, match="motif"):
        decide(director_a, visited, "refused", reason="  ")
    visited.refresh_from_db()
    assert visited.status == S.VISIT_DONE and not AdmissionDecision.objects.exists()


def test_the_database_refuses_a_refusal_without_reason(visited, director_a, today):
    with pytest.raises(IntegrityError, match="decision_refusal_has_reason"), transaction.atomic():
        AdmissionDecision.objects.create(
            application=visited,
            outcome="refused",
            reason="",
            decided_on=today,
            decided_by=director_a,
        )


def test_only_the_director_records_the_decision(visited, secretary_a, doctor_a):
    for user in (secretary_a, doctor_a):
        with pytest.raises(AccessDenied) as refused:
            decide(user, visited, "accepted")
        assert_service_refused(
            refused, "La décision de la commission d'admission est enregistrée par la direction."
        )
        assert refused.value.person == visited.person
    assert not AdmissionDecision.objects.exists()


def test_an_acceptance_before_the_visit_is_refused_with_the_pipeline_message(
    in_evaluation, director_a
):
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        decide(director_a, in_evaluation, "accepted")
    assert not AdmissionDecision.objects.exists()


def test_a_refusal_at_the_evaluation_carries_its_reason_in_the_timeline(in_evaluation, director_a):
    decide(
        director_a,
        in_evaluation,
        "refused",
        reason="Besoins de soins hors du projet d'établissement.",
    )
    last = in_evaluation.events.last()
    assert last.to_status == S.REFUSED and "hors du projet" in last.note


def test_a_postponement_needs_its_reason(visited, director_a):
    with pytest.raises(ValidationError, match="ajournée"):
        decide(director_a, visited, "postponed")
    assert not AdmissionDecision.objects.exists()


def test_a_stale_version_is_refused(visited, director_a):
    with pytest.raises(ValidationError, match="rechargez"):
        decide(director_a, visited, "accepted", expected_version=visited.version - 1)
    with pytest.raises(ValidationError, match="version de la fiche manquante"):
        decide(director_a, visited, "accepted", expected_version=None)
    assert not AdmissionDecision.objects.exists()


def test_a_closed_application_takes_no_more_pieces(application, secretary_a):
    move(secretary_a, application, S.WITHDRAWN, note="La famille a renoncé")
    with pytest.raises(ValidationError, match="close"):
        evaluation.piece_expect(
            acting_user=secretary_a, application=application, kind=PieceKind.IDENTITY
        )
    assert not application.pieces.exists()
