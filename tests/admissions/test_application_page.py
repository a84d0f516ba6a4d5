"""The application page: what each profession sees and may do, through the access layer."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from dui.access.models import AccessAction, AccessEvent
from dui.admissions.models import AdmissionEvent, PieceKind
from dui.admissions.services import evaluation
from dui.core import dates
from tests.admissions.helpers import S, key, move, new_application, text, upload_document
from tests.refusals import assert_refused


def page(application):
    return reverse(
        "admissions:application_detail", kwargs={"application_id": application.public_id}
    )


def url(name, application):
    return reverse(f"admissions:{name}", kwargs={"application_id": application.public_id})


def plan_visit(user, application):
    application.refresh_from_db()
    evaluation.visit_plan(
        acting_user=user,
        application=application,
        planned_at=dates.now(),
        expected_version=application.version,
    )
    application.refresh_from_db()


def test_the_secretary_sees_status_timeline_pieces_and_buttons(
    application, secretary_a, logged_in_client
):
    response = logged_in_client(secretary_a).get(page(application))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="application-status">Reçue' in html
    assert "volet administratif" in html and "volet médical" in html
    assert 'data-testid="transition-incomplete"' in html
    assert 'data-testid="transition-evaluation"' in html
    assert reverse("people:record", args=[application.person.public_id]) in html
    assert AccessEvent.objects.filter(
        action=AccessAction.READ,
        person=application.person,
        object_type="page:admissions:application_detail",
    ).exists()


def test_an_incomplete_application_lists_its_missing_pieces(
    application, secretary_a, logged_in_client, today
):
    client = logged_in_client(secretary_a)
    evaluation.piece_receive(
        acting_user=secretary_a,
        application=application,
        kind=PieceKind.CERFA_ADMINISTRATIVE,
        received_on=today,
    )
    response = client.post(
        url("application_transition", application),
        {"to_status": S.INCOMPLETE, "note": "Volet médical", "version": application.version},
    )
    assert response.status_code == 302
    html = client.get(page(application)).content.decode()
    missing = html.split('data-testid="missing-pieces"')[1].split("</div>")[0]
    assert "volet médical" in missing and "volet administratif" not in missing


def test_a_transition_needing_a_note_is_refused_without_it(
    application, secretary_a, logged_in_client
):
    response = logged_in_client(secretary_a).post(
        url("application_transition", application),
        {"to_status": S.WITHDRAWN, "note": "", "version": application.version},
    )
    assert response.status_code == 400
    assert "retiré la demande" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.RECEIVED


def test_an_illegal_transition_is_refused_with_the_pipeline_message(
    application, secretary_a, logged_in_client
):
    response = logged_in_client(secretary_a).post(
        url("application_transition", application),
        {"to_status": S.WAITING_LIST, "note": "", "version": application.version},
    )
    assert response.status_code == 400
    assert "ne peut pas passer" in response.content.decode()


def test_a_button_pressed_on_a_page_read_before_another_move_is_refused(
    application, secretary_a, logged_in_client
):
    read_at = application.version
    move(secretary_a, application, S.EVALUATION)
    response = logged_in_client(secretary_a).post(
        url("application_transition", application),
        {"to_status": S.WITHDRAWN, "note": "La famille renonce", "version": read_at},
    )
    assert response.status_code == 400
    assert "modifiée par quelqu'un d'autre" in text(response)
    application.refresh_from_db()
    assert application.status == S.EVALUATION


def test_visit_done_cannot_be_reached_by_a_button(in_evaluation, secretary_a, logged_in_client):
    plan_visit(secretary_a, in_evaluation)
    client = logged_in_client(secretary_a)
    response = client.post(
        url("application_transition", in_evaluation),
        {"to_status": S.VISIT_DONE, "version": in_evaluation.version},
    )
    assert response.status_code == 400
    refused = client.post(
        url("application_visit_report", in_evaluation),
        {
            "done_at": (dates.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "report": "",
            "version": in_evaluation.version,
        },
    )
    assert refused.status_code == 400 and "compte rendu" in refused.content.decode()
    in_evaluation.refresh_from_db()
    assert in_evaluation.status == S.VISIT_PLANNED


def test_marking_a_piece_received_with_a_document_of_the_person(
    application, secretary_a, logged_in_client, today
):
    document = upload_document(secretary_a, application.person)
    client = logged_in_client(secretary_a)
    picker = client.get(page(application)).content.decode()
    assert f'value="{document.public_id}"' in picker
    response = client.post(
        url("application_piece_receive", application),
        {
            "kind": PieceKind.CERFA_MEDICAL,
            f"piece-{PieceKind.CERFA_MEDICAL}-received_on": today.isoformat(),
            f"piece-{PieceKind.CERFA_MEDICAL}-document": str(document.public_id),
        },
    )
    assert response.status_code == 302
    piece = application.pieces.get(kind=PieceKind.CERFA_MEDICAL)
    assert piece.received_on == today and piece.document == document


def test_the_document_picker_offers_only_documents_the_user_reads_and_not_in_error(
    application, secretary_a, logged_in_client
):
    kept = upload_document(secretary_a, application.person, title="Carte vitale")
    wrong = upload_document(secretary_a, application.person, title="Carte d'un autre")
    type(wrong).objects.filter(pk=wrong.pk).update(
        entered_in_error=True, entered_in_error_reason="Mauvais dossier"
    )
    html = logged_in_client(secretary_a).get(page(application)).content.decode()
    assert f'value="{kept.public_id}"' in html
    assert f'value="{wrong.public_id}"' not in html


def test_the_medical_opinion_is_shown_to_the_doctor_and_hidden_from_the_secretary(
    in_evaluation, doctor_a, secretary_a, logged_in_client
):
    doctor = logged_in_client(doctor_a)
    assert 'data-testid="opinion-form-medical"' in doctor.get(page(in_evaluation)).content.decode()
    response = doctor.post(
        url("application_opinion", in_evaluation),
        {
            "kind": "medical",
            "opinion-medical-value": "reserved",
            "opinion-medical-text": "Troubles cognitifs : unité protégée à discuter.",
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 302
    assert "Troubles cognitifs" in doctor.get(page(in_evaluation)).content.decode()
    html = logged_in_client(secretary_a).get(page(in_evaluation)).content.decode()
    assert "Troubles cognitifs" not in html and 'data-testid="opinion-medical"' not in html
    assert "lisible que par l'équipe soignante" in html
    assert 'data-testid="opinion-form-medical"' not in html


def test_a_nurse_is_refused_the_medical_opinion_and_the_refusal_is_journaled(
    in_evaluation, nurse_ehpad_a, logged_in_client
):
    client = logged_in_client(nurse_ehpad_a)
    assert (
        'data-testid="opinion-form-medical"' not in client.get(page(in_evaluation)).content.decode()
    )
    response = client.post(
        url("application_opinion", in_evaluation),
        {"kind": "medical", "opinion-medical-value": "favourable", "idempotency_key": key()},
    )
    assert_refused(
        response,
        "Votre profession ne peut pas modifier cette partie du dossier",
        user=nurse_ehpad_a,
        person=in_evaluation.person,
    )
    assert not in_evaluation.opinions.exists()


def test_the_social_worker_gives_the_social_opinion(
    in_evaluation, social_worker_a, logged_in_client
):
    response = logged_in_client(social_worker_a).post(
        url("application_opinion", in_evaluation),
        {"kind": "social", "opinion-social-value": "favourable", "idempotency_key": key()},
    )
    assert response.status_code == 302
    assert in_evaluation.opinions.get().category == "social"


def test_a_secretary_is_refused_the_social_opinion_with_the_services_reason(
    in_evaluation, secretary_a, logged_in_client
):
    """She writes the administrative part only: the access layer refuses the social
    category, journaled on the person."""
    response = logged_in_client(secretary_a).post(
        url("application_opinion", in_evaluation),
        {"kind": "social", "opinion-social-value": "favourable", "idempotency_key": key()},
    )
    assert_refused(
        response,
        "Votre profession n'a pas accès à cette partie du dossier.",
        user=secretary_a,
        person=in_evaluation.person,
    )
    assert not in_evaluation.opinions.exists()


def test_the_visit_is_planned_then_reported_from_the_page(
    in_evaluation, secretary_a, logged_in_client
):
    client = logged_in_client(secretary_a)
    planned = client.post(
        url("application_visit_plan", in_evaluation),
        {
            "planned_at": (dates.now() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "participants": "Mme Martin et sa fille",
            "version": in_evaluation.version,
            "idempotency_key": key(),
        },
    )
    assert planned.status_code == 302
    in_evaluation.refresh_from_db()
    reported = client.post(
        url("application_visit_report", in_evaluation),
        {
            "done_at": (dates.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "report": "Visite des lieux, rencontre avec l'IDEC.",
            "version": in_evaluation.version,
        },
    )
    assert reported.status_code == 302
    in_evaluation.refresh_from_db()
    assert in_evaluation.status == S.VISIT_DONE


def test_the_director_records_the_decision_and_a_refusal_needs_its_reason(
    visited, director_a, secretary_a, logged_in_client, today
):
    assert 'data-testid="decision-form"' not in (
        logged_in_client(secretary_a).get(page(visited)).content.decode()
    )
    client = logged_in_client(director_a)
    assert 'data-testid="decision-form"' in client.get(page(visited)).content.decode()
    refused = client.post(
        url("application_decision", visited),
        {
            "outcome": "refused",
            "reason": "",
            "decided_on": today.isoformat(),
            "version": visited.version,
            "idempotency_key": key(),
        },
    )
    assert refused.status_code == 400 and "motif du refus" in refused.content.decode()
    accepted = client.post(
        url("application_decision", visited),
        {
            "outcome": "accepted",
            "committee": "Direction, médecin coordonnateur",
            "decided_on": today.isoformat(),
            "version": visited.version,
            "idempotency_key": key(),
        },
    )
    assert accepted.status_code == 302
    visited.refresh_from_db()
    assert visited.status == S.ACCEPTED


def test_a_secretary_posting_a_decision_is_refused(visited, secretary_a, logged_in_client, today):
    response = logged_in_client(secretary_a).post(
        url("application_decision", visited),
        {
            "outcome": "accepted",
            "decided_on": today.isoformat(),
            "version": visited.version,
            "idempotency_key": key(),
        },
    )
    assert_refused(
        response,
        "La décision de la commission d'admission est enregistrée par la direction.",
        user=secretary_a,
        person=visited.person,
    )
    visited.refresh_from_db()
    assert visited.status == S.VISIT_DONE


@pytest.mark.parametrize("days, warns", [(90, True), (91, False), (-1, True)])
def test_the_orientation_warning_shows_on_the_page_and_as_a_message(
    days, warns, secretary_mas, mas, logged_in_client, today
):
    application = new_application(secretary_mas, mas, source="mdph")
    evaluation.orientation_record(
        acting_user=secretary_mas,
        person=application.person,
        decided_on=today - timedelta(days=300),
        kind="13.3",
        valid_from=today - timedelta(days=300),
        valid_to=today + timedelta(days=days),
    )
    response = logged_in_client(secretary_mas).get(page(application))
    html = response.content.decode()
    assert ('data-testid="orientation-warning"' in html) is warns
    shown = [str(m) for m in response.context["messages"]]
    assert any("orientation MDPH" in m for m in shown) is warns


def test_recording_an_orientation_from_the_page(secretary_mas, mas, logged_in_client, today):
    application = new_application(secretary_mas, mas, source="mdph")
    response = logged_in_client(secretary_mas).post(
        url("application_orientation", application),
        {
            "decided_on": (today - timedelta(days=30)).isoformat(),
            "kind": "13.3",
            "valid_from": (today - timedelta(days=30)).isoformat(),
            "valid_to": (today + timedelta(days=5 * 365)).isoformat(),
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 302
    assert application.person.orientations.get().kind == "13.3"


def test_another_ehpads_secretary_is_refused_and_it_is_journaled(
    application, secretary_b, logged_in_client
):
    line = assert_refused(
        logged_in_client(secretary_b).get(page(application)),
        "Cette demande est instruite par un autre établissement.",
        user=secretary_b,
        person=application.person,
    )
    assert line.action == AccessAction.DENIED


def test_an_unknown_application_is_not_found(secretary_a, logged_in_client):
    response = logged_in_client(secretary_a).get(
        reverse("admissions:application_detail", kwargs={"application_id": uuid.uuid4()})
    )
    assert response.status_code == 404


def _add_events(application, user, count):
    AdmissionEvent.objects.bulk_create(
        AdmissionEvent(
            application=application, by=user, from_status="received", to_status="evaluation"
        )
        for _ in range(count)
    )


def test_the_page_runs_the_same_bounded_number_of_queries_with_2_or_12_events(
    secretary_a,
    doctor_a,
    director_a,
    ehpad_a,
    logged_in_client,
    django_assert_max_num_queries,
    today,
):
    client = logged_in_client(director_a)
    counts = []
    for events in (2, 12):
        application = new_application(secretary_a, ehpad_a, statuses=(S.EVALUATION,))
        evaluation.opinion_give(
            acting_user=doctor_a, application=application, kind="medical", value="favourable"
        )
        evaluation.piece_receive(
            acting_user=secretary_a,
            application=application,
            kind=PieceKind.CERFA_MEDICAL,
            received_on=today,
        )
        _add_events(application, secretary_a, events - application.events.count())
        assert application.events.count() == events
        client.get(page(application))  # the first page of a session reads more (session, caches)
        with django_assert_max_num_queries(30) as captured:
            response = client.get(page(application))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
