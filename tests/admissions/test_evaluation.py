"""The services of the application page: pieces, MDPH orientation, opinions, visit and the
committee's decision — each by the right person, each moving the pipeline only as allowed."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dui.access.models import AccessAction, AccessEvent
from dui.admissions import evaluation
from dui.admissions.models import (
    AdmissionDecision,
    AdmissionStatus,
    EvaluationOpinion,
    PieceKind,
    PreAdmissionVisit,
)

# ruff: noqa: F811 — the fixtures imported from request_fixtures.py are test parameters.
from tests.admissions.request_fixtures import (  # noqa: F401
    TODAY,
    application,
    in_evaluation,
    mas,
    move,
    new_application,
    nurse_ehpad_a,
    secretary_b,
    secretary_mas,
    social_worker_a,
    upload_document,
    visited,
)

S = AdmissionStatus


# --- Pieces ------------------------------------------------------------------------------------


def test_an_ehpad_application_expects_both_parts_of_the_cerfa_by_default(application):
    kinds = [row["kind"] for row in evaluation.checklist(application)]
    assert kinds == [PieceKind.CERFA_ADMINISTRATIVE, PieceKind.CERFA_MEDICAL]


def test_a_disability_service_application_expects_the_mdph_notification(secretary_mas, mas):
    request = new_application(secretary_mas, mas, source="mdph")
    assert [row["kind"] for row in evaluation.checklist(request)] == [PieceKind.MDPH_NOTIFICATION]


def test_receiving_a_default_piece_stores_it_with_its_date_and_journals_it(
    application, secretary_a
):
    piece = evaluation.piece_receive(
        acting_user=secretary_a,
        request=application,
        kind=PieceKind.CERFA_ADMINISTRATIVE,
        received_on=TODAY,
    )
    assert piece.received_on == TODAY and piece.created_by == secretary_a
    rows = evaluation.checklist(application)
    assert evaluation.missing_pieces(rows) == [str(PieceKind.CERFA_MEDICAL.label)]
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, object_id=str(piece.public_id)
    ).exists()


def test_an_added_piece_is_expected_then_received_on_the_same_row(application, secretary_a):
    expected = evaluation.piece_expect(
        acting_user=secretary_a, request=application, kind=PieceKind.TAX_NOTICE
    )
    received = evaluation.piece_receive(
        acting_user=secretary_a, request=application, kind=PieceKind.TAX_NOTICE, received_on=TODAY
    )
    assert received.pk == expected.pk
    with pytest.raises(ValidationError, match="déjà dans la liste"):
        evaluation.piece_expect(
            acting_user=secretary_a, request=application, kind=PieceKind.TAX_NOTICE
        )


def test_a_piece_cannot_be_received_in_the_future_or_before_the_application(
    application, secretary_a
):
    for day in (TODAY + timedelta(days=1), application.received_on - timedelta(days=1)):
        with pytest.raises(ValidationError):
            evaluation.piece_receive(
                acting_user=secretary_a,
                request=application,
                kind=PieceKind.CERFA_MEDICAL,
                received_on=day,
            )


def test_a_piece_may_only_point_to_a_document_of_the_same_person(
    application, secretary_a, resident_a
):
    other = upload_document(secretary_a, resident_a)
    with pytest.raises(ValidationError, match="pas dans le dossier"):
        evaluation.piece_receive(
            acting_user=secretary_a,
            request=application,
            kind=PieceKind.CERFA_MEDICAL,
            received_on=TODAY,
            document=other,
        )


def test_a_user_of_another_establishment_cannot_mark_a_piece_received(application, secretary_b):
    with pytest.raises(PermissionDenied):
        evaluation.piece_receive(
            acting_user=secretary_b,
            request=application,
            kind=PieceKind.CERFA_MEDICAL,
            received_on=TODAY,
        )


# --- MDPH orientation --------------------------------------------------------------------------


def _orientation(user, person, valid_to):
    return evaluation.orientation_record(
        acting_user=user,
        person=person,
        decided_on=TODAY - timedelta(days=400),
        establishment_type="MAS",
        valid_from=TODAY - timedelta(days=400),
        valid_to=valid_to,
    )


def test_an_orientation_expiring_in_90_days_warns_but_not_in_91_days(secretary_mas, mas):
    request = new_application(secretary_mas, mas, source="mdph")
    in_90 = _orientation(secretary_mas, request.person, TODAY + timedelta(days=90))
    in_91 = _orientation(secretary_mas, request.person, TODAY + timedelta(days=91))
    assert "expire le" in evaluation.orientation_warning(in_90)
    assert "dans 90 jours" in evaluation.orientation_warning(in_90)
    assert evaluation.orientation_warning(in_91) == ""


def test_an_expired_orientation_warns_that_it_has_expired(secretary_mas, mas):
    request = new_application(secretary_mas, mas, source="mdph")
    expired = _orientation(secretary_mas, request.person, TODAY - timedelta(days=1))
    assert "a expiré" in evaluation.orientation_warning(expired)
    today = _orientation(secretary_mas, request.person, TODAY)
    assert "dans 0 jours" in evaluation.orientation_warning(today)


def test_an_orientation_ending_before_it_starts_is_refused(secretary_mas, mas):
    request = new_application(secretary_mas, mas, source="mdph")
    with pytest.raises(ValidationError, match="fin de validité"):
        evaluation.orientation_record(
            acting_user=secretary_mas,
            person=request.person,
            decided_on=TODAY,
            establishment_type="MAS",
            valid_from=TODAY,
            valid_to=TODAY - timedelta(days=1),
        )


# --- Opinions ----------------------------------------------------------------------------------


def test_the_doctor_gives_the_medical_opinion_stored_in_the_medical_category(
    in_evaluation, doctor_a
):
    opinion = evaluation.opinion_give(
        acting_user=doctor_a, request=in_evaluation, kind="medical", value="favourable"
    )
    assert opinion.category == "medical" and opinion.author == doctor_a


def test_a_nurse_cannot_give_the_medical_opinion(in_evaluation, nurse_ehpad_a):
    with pytest.raises(PermissionDenied, match="médecin"):
        evaluation.opinion_give(
            acting_user=nurse_ehpad_a, request=in_evaluation, kind="medical", value="favourable"
        )
    assert not EvaluationOpinion.objects.exists()


def test_the_social_opinion_is_given_by_the_social_worker_not_the_secretary(
    in_evaluation, social_worker_a, secretary_a
):
    opinion = evaluation.opinion_give(
        acting_user=social_worker_a, request=in_evaluation, kind="social", value="reserved"
    )
    assert opinion.category == "social"
    with pytest.raises(PermissionDenied):
        evaluation.opinion_give(
            acting_user=secretary_a, request=in_evaluation, kind="social", value="favourable"
        )


def test_opinions_wait_for_the_evaluation(application, doctor_a):
    with pytest.raises(ValidationError, match="pendant l'évaluation"):
        evaluation.opinion_give(
            acting_user=doctor_a, request=application, kind="medical", value="favourable"
        )


# --- Visit -------------------------------------------------------------------------------------


def test_planning_the_visit_moves_the_request_to_visit_planned(in_evaluation, secretary_a):
    evaluation.visit_plan(
        acting_user=secretary_a,
        request=in_evaluation,
        planned_at=timezone.now() + timedelta(days=3),
    )
    in_evaluation.refresh_from_db()
    assert in_evaluation.status == S.VISIT_PLANNED


def test_a_visit_cannot_be_reported_done_without_its_report(in_evaluation, secretary_a):
    evaluation.visit_plan(acting_user=secretary_a, request=in_evaluation, planned_at=timezone.now())
    with pytest.raises(ValidationError, match="compte rendu"):
        evaluation.visit_report(
            acting_user=secretary_a, request=in_evaluation, done_at=timezone.now(), report="  "
        )
    in_evaluation.refresh_from_db()
    assert in_evaluation.status == S.VISIT_PLANNED
    assert PreAdmissionVisit.objects.get().done_at is None


def test_the_page_buttons_cannot_move_to_visit_done_without_the_report(in_evaluation, secretary_a):
    evaluation.visit_plan(acting_user=secretary_a, request=in_evaluation, planned_at=timezone.now())
    with pytest.raises(ValidationError, match="propre formulaire"):
        evaluation.request_transition(
            acting_user=secretary_a, request=in_evaluation, to_status=S.VISIT_DONE
        )


def test_a_reported_visit_moves_the_request_to_visit_done(visited):
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
            request=in_evaluation, planned_at=timezone.now(), done_at=timezone.now(), report=""
        )


# --- Decision ----------------------------------------------------------------------------------


def test_the_director_accepts_and_the_request_follows(visited, director_a):
    decision = evaluation.decision_record(
        acting_user=director_a,
        request=visited,
        outcome="accepted",
        committee="Direction, médecin coordonnateur, IDEC",
    )
    visited.refresh_from_db()
    assert visited.status == S.ACCEPTED and decision.decided_by == director_a


def test_a_refusal_without_reason_is_refused_and_nothing_is_saved(visited, director_a):
    with pytest.raises(ValidationError, match="motif"):
        evaluation.decision_record(
            acting_user=director_a, request=visited, outcome="refused", reason="  "
        )
    visited.refresh_from_db()
    assert visited.status == S.VISIT_DONE and not AdmissionDecision.objects.exists()


def test_the_database_refuses_a_refusal_without_reason(visited, director_a):
    with pytest.raises(IntegrityError, match="decision_refusal_has_reason"), transaction.atomic():
        AdmissionDecision.objects.create(
            request=visited,
            outcome="refused",
            reason="",
            decided_on=TODAY,
            decided_by=director_a,
        )


def test_only_the_director_records_the_decision(visited, secretary_a, doctor_a):
    for user in (secretary_a, doctor_a):
        with pytest.raises(PermissionDenied, match="direction"):
            evaluation.decision_record(acting_user=user, request=visited, outcome="accepted")


def test_an_acceptance_before_the_visit_is_refused_with_the_pipeline_message(
    in_evaluation, director_a
):
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        evaluation.decision_record(
            acting_user=director_a, request=in_evaluation, outcome="accepted"
        )


def test_a_refusal_at_the_evaluation_carries_its_reason_in_the_timeline(in_evaluation, director_a):
    evaluation.decision_record(
        acting_user=director_a,
        request=in_evaluation,
        outcome="refused",
        reason="Besoins de soins hors du projet d'établissement.",
    )
    last = in_evaluation.events.last()
    assert last.to_status == S.REFUSED and "hors du projet" in last.note


def test_a_postponement_needs_its_reason(visited, director_a):
    with pytest.raises(ValidationError, match="ajournée"):
        evaluation.decision_record(acting_user=director_a, request=visited, outcome="postponed")


def test_a_stale_version_is_refused(visited, director_a):
    with pytest.raises(ValidationError, match="rechargez"):
        evaluation.decision_record(
            acting_user=director_a,
            request=visited,
            outcome="accepted",
            expected_version=visited.version - 1,
        )


def test_a_closed_request_takes_no_more_pieces(application, secretary_a):
    move(secretary_a, application, S.WITHDRAWN)
    with pytest.raises(ValidationError, match="close"):
        evaluation.piece_expect(
            acting_user=secretary_a, request=application, kind=PieceKind.IDENTITY
        )
