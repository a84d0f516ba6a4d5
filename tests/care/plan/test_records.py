"""Exactly one record per occurrence (issue 13 item 5; DESIGN §4.5): fait in one tap, non fait
with its reason, refusé, reporté; late entries; another unit; a second record; corrections."""

import html
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse

from dui.access.models import AccessAction, AccessEvent
from dui.care.plan import services
from dui.care.plan.models import CareRecord, CareRecordOutcome, CareTask
from dui.core import dates
from tests.care.plan.conftest import line_data, local
from tests.factories import CareTeamMembershipFactory, PersonFactory, PlaceFactory
from tests.journal_guards import empty_the_journal_for_the_flush
from tests.refusals import assert_refused
from tests.stays.factories import StayFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def record_url(task) -> str:
    return reverse("care:plan_task_record", kwargs={"task_id": task.public_id})


def post(client, task, *, htmx=True, key=None, **data):
    payload = {"idempotency_key": str(key or uuid.uuid4()), "outcome": "done", **data}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(record_url(task), payload, **headers)


@pytest.fixture
def ten_oclock(clock, make_line):
    """A toilette at 10 h today, the clock at 10 h 05."""
    clock(local(7))
    line = make_line(times=["10:00"])
    clock(local(10, 5))
    return CareTask.objects.get(line=line, due_at=local(10))


def test_fait_in_one_tap_records_the_task_and_swaps_the_row(ten_oclock, aide_a, logged_in_client):
    client = logged_in_client(aide_a)
    response = post(client, ten_oclock)
    assert response.status_code == 200
    assert "Fait" in text(response) and 'data-testid="task-record"' in text(response)
    record = CareRecord.objects.get(task=ten_oclock)
    assert record.outcome == "done" and record.created_by == aide_a and not record.late
    assert AccessEvent.objects.filter(
        action=AccessAction.CREATE, object_id=str(record.public_id)
    ).exists()


def test_without_javascript_the_list_is_shown_again(ten_oclock, aide_a, logged_in_client):
    response = post(logged_in_client(aide_a), ten_oclock, htmx=False)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("care:plan_tasks"))


def test_non_fait_needs_a_reason_and_nothing_is_saved_without_it(
    ten_oclock, aide_a, logged_in_client
):
    client = logged_in_client(aide_a)
    response = post(client, ten_oclock, outcome="not_done")
    assert "Indiquez pourquoi le soin n'a pas été fait." in text(response)
    assert not CareRecord.objects.exists()
    post(client, ten_oclock, outcome="not_done", reason="Dort profondément")
    assert CareRecord.objects.get().reason == "Dort profondément"


def test_the_database_refuses_a_not_done_record_without_reason():
    names = {c.name for c in CareRecord._meta.constraints}
    assert {
        "care_record_not_done_has_reason",
        "care_record_late_has_reason",
        "care_record_postponed_has_time",
    } <= names


def test_refused_by_the_person_needs_no_reason(ten_oclock, aide_a, logged_in_client):
    post(logged_in_client(aide_a), ten_oclock, outcome="refused")
    assert CareRecord.objects.get().outcome == CareRecordOutcome.REFUSED


def test_postponed_creates_one_new_occurrence_at_the_chosen_time(
    ten_oclock, aide_a, logged_in_client
):
    post(logged_in_client(aide_a), ten_oclock, outcome="postponed", postponed_to="11:30")
    record = CareRecord.objects.get()
    assert record.outcome == CareRecordOutcome.POSTPONED
    again = CareTask.objects.get(postponed_from=ten_oclock)
    assert again.due_at == local(11, 30) and again.line == ten_oclock.line


def test_postponed_needs_a_time(ten_oclock, aide_a, logged_in_client):
    response = post(logged_in_client(aide_a), ten_oclock, outcome="postponed")
    assert "Indiquez à quelle heure le soin est reporté." in text(response)
    assert not CareRecord.objects.exists()


def test_an_entry_beyond_the_late_window_needs_a_reason_and_is_flagged(
    clock, ten_oclock, aide_a, logged_in_client
):
    # Default window: 120 minutes (CareSettings.late_entry_minutes, issue 13 §5 « 2 heures »).
    clock(local(12, 30))
    client = logged_in_client(aide_a)
    response = post(client, ten_oclock)
    assert "Saisie tardive" in text(response)
    assert not CareRecord.objects.exists()
    response = post(client, ten_oclock, late_reason="Urgence en chambre 14")
    record = CareRecord.objects.get()
    assert record.late and record.late_reason == "Urgence en chambre 14"
    assert "saisie tardive" in text(response)


def test_within_the_window_no_late_reason_is_asked(clock, ten_oclock, aide_a):
    clock(local(11, 55))
    record = services.care_record_create(acting_user=aide_a, task=ten_oclock, outcome="done")
    assert not record.late


def test_a_task_of_another_unit_is_refused_and_journaled(
    clock, nurse_a, aide_a, unit_a, unit_a2, logged_in_client
):
    # The person is followed by unit A but her stay (and so her tasks) is in unit A2.
    clock(local(7))
    person = PersonFactory(birth_name="Garnier")
    CareTeamMembershipFactory(person=person, establishment=unit_a.establishment, unit=unit_a)
    StayFactory(person=person, place=PlaceFactory(unit=unit_a2), started_on=dates.today())
    line = services.care_plan_line_create(
        acting_user=nurse_a, person=person, data=line_data(times=["10:00"])
    )
    clock(local(10, 5))
    task = CareTask.objects.get(line=line, due_at=local(10))
    response = post(logged_in_client(aide_a), task)
    assert_refused(response, "Ce soin est prévu dans une autre unité", user=aide_a, person=person)
    assert not CareRecord.objects.exists()


def test_a_second_different_record_is_refused_naming_who_traced_it_and_when(
    ten_oclock, aide_a, nurse_a, logged_in_client
):
    post(logged_in_client(aide_a), ten_oclock)
    first = CareRecord.objects.get()
    at = first.created_at.astimezone(dates.zone_of())
    response = post(logged_in_client(nurse_a), ten_oclock, outcome="refused")
    assert f"Ce soin a déjà été tracé par {aide_a.get_full_name()} à {at.hour}h{at.minute:02d}" in (
        text(response)
    )
    assert CareRecord.objects.count() == 1


def test_the_same_tap_again_returns_the_first_record(ten_oclock, aide_a, logged_in_client):
    client = logged_in_client(aide_a)
    key = uuid.uuid4()
    post(client, ten_oclock, key=key)
    post(client, ten_oclock, key=key)  # a retry of the same form
    post(client, ten_oclock)  # a double tap on a row rendered twice
    assert CareRecord.objects.count() == 1
    replay = services.care_record_create(acting_user=aide_a, task=ten_oclock, outcome="done")
    assert replay == CareRecord.objects.get()


def test_a_correction_keeps_the_first_version_in_the_history(ten_oclock, aide_a, logged_in_client):
    client = logged_in_client(aide_a)
    post(client, ten_oclock)
    record = CareRecord.objects.get()
    url = reverse("care:plan_record_amend", kwargs={"task_id": ten_oclock.public_id})
    response = client.post(
        url,
        {
            "idempotency_key": str(uuid.uuid4()),
            "version": record.version,
            "outcome": "refused",
            "reason": "A refusé, toilette faite à 15 h",
            "amend_reason": "Erreur de ligne",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.outcome == "refused" and record.version == 2
    assert [h.outcome for h in record.history.order_by("history_date")] == ["done", "refused"]
    page = text(client.get(url))
    assert "Erreur de ligne" in page


def test_a_correction_needs_its_reason(ten_oclock, aide_a):
    from django.core.exceptions import ValidationError

    record = services.care_record_create(acting_user=aide_a, task=ten_oclock, outcome="done")
    with pytest.raises(ValidationError):
        services.care_record_amend(
            acting_user=aide_a,
            record=record,
            data={"outcome": "refused"},
            reason=" ",
            expected_version=record.version,
        )


def test_a_task_due_in_the_afternoon_cannot_be_traced_in_the_morning(clock, make_line, aide_a):
    from django.core.exceptions import ValidationError

    clock(local(7))
    line = make_line(times=["18:00"])
    task = CareTask.objects.get(line=line, due_at=local(18))
    with pytest.raises(ValidationError, match="prévu plus tard"):
        services.care_record_create(acting_user=aide_a, task=task, outcome="done")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrence PostgreSQL seulement")
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_requests_record_the_task_once_and_none_fails(
    make_line, aide_a, logged_in_client
):
    """Issue 13 « Done when »: 20 simultaneous requests, each on its own connection, record
    the same occurrence: exactly one CareRecord, no server error."""
    from django.db import connections
    from django.test import Client

    from tests.factories import login

    try:
        soon = (dates.now() + timedelta(minutes=30)).astimezone(dates.zone_of())
        line = make_line(times=[f"{soon:%H:%M}"])
        task = CareTask.objects.filter(line=line).order_by("due_at").first()
        clients = [login(Client(), aide_a) for _ in range(20)]
        barrier = threading.Barrier(20)
        statuses, errors = [], []

        def tap(client):
            try:
                barrier.wait()
                response = post(client, task)
                statuses.append(response.status_code)
            except Exception as error:
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=tap, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert statuses and all(s < 500 for s in statuses), statuses
        assert len(statuses) == 20
        assert CareRecord.objects.filter(task=task).count() == 1
    finally:
        # The journal is append-only: emptied by its own guard before the flush.
        empty_the_journal_for_the_flush()
