"""The "Documents" tab of the record: what it lists, in a bounded number of queries, and
documents marked as entered in error (kept, struck through, with their reason and history)."""

import html
import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dui.access.decorators import CATEGORY_NOT_WRITTEN
from dui.access.models import AccessAction, AccessEvent
from dui.documents import services
from dui.documents.models import Document
from tests.documents.samples import file_url, image_bytes, list_url
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db

# 18 measured: session, user, device, person, access (4), journal (4 with its savepoint),
# the record header (4), count and page of documents. Room left for the header's growth.
MAX_LIST_QUERIES = 20


def text(response) -> str:
    return html.unescape(response.content.decode())


def error_url(document) -> str:
    return reverse(
        "documents:entered_in_error",
        kwargs={"person_id": document.person.public_id, "document_id": document.public_id},
    )


def mark_in_error(client, document, reason="Document d'une autre résidente", version=None):
    """The list's « déposé par erreur » form, as read with the document's version."""
    return client.post(
        error_url(document),
        {
            "reason": reason,
            "version": document.version if version is None else version,
            "idempotency_key": str(uuid.uuid4()),
        },
    )


def test_the_record_has_a_documents_tab(logged_in_client, aide_a, resident_a):
    page = logged_in_client(aide_a).get(
        reverse("people:record", kwargs={"person_id": resident_a.public_id})
    )

    assert f'href="{list_url(resident_a)}"' in page.content.decode()


def test_the_list_shows_kind_title_date_uploader_size_and_thumbnail(
    logged_in_client, secretary_a, nurse_a, resident_a, make_document
):
    scan = make_document(
        secretary_a,
        resident_a,
        title="Attestation de carte Vitale",
        kind="insurance",
        document_date=date(2025, 12, 3),
        content=image_bytes("PNG"),
        name="vitale.png",
    )

    response = logged_in_client(nurse_a).get(list_url(resident_a))

    page = text(response)
    assert response.status_code == 200
    assert "Attestation de carte Vitale" in page
    assert "Attestation d'assurance maladie, mutuelle" in page
    assert "03/12/2025" in page
    assert secretary_a.get_full_name() in page
    assert "vitale.png" in page
    assert file_url(scan, "thumbnail") in page
    assert file_url(scan) in page


def test_reading_the_list_is_journaled(logged_in_client, nurse_a, resident_a):
    logged_in_client(nurse_a).get(list_url(resident_a))

    assert AccessEvent.objects.filter(
        user=nurse_a, person=resident_a, action=AccessAction.READ
    ).exists()


def test_the_newest_documents_come_first_25_per_page(
    logged_in_client, secretary_a, resident_a, make_document
):
    for day in range(1, 28):
        make_document(
            secretary_a, resident_a, title=f"Courrier {day:02d}", document_date=date(2025, 1, day)
        )
    client = logged_in_client(secretary_a)

    first = text(client.get(list_url(resident_a)))
    second = text(client.get(list_url(resident_a) + "?page=2"))

    assert first.index("Courrier 27") < first.index("Courrier 26")
    assert "Courrier 03" in first
    assert "Courrier 02" not in first
    assert "Courrier 02" in second and "Courrier 01" in second
    assert "Page 1 sur 2" in first


def test_the_list_page_runs_the_same_bounded_number_of_queries_for_3_or_30_documents(
    logged_in_client, secretary_a, resident_a, make_document
):
    client = logged_in_client(secretary_a)

    def add(count):
        for number in range(count):
            make_document(
                secretary_a,
                resident_a,
                title=f"Document {number}",
                content=image_bytes("PNG", size=(40, 40)) if number % 2 else None,
                name="scan.png" if number % 2 else "scan.pdf",
            )

    def queries() -> int:
        client.get(list_url(resident_a))  # session and caches warmed like any later page
        with CaptureQueriesContext(connection) as captured:
            assert client.get(list_url(resident_a)).status_code == 200
        return len(captured.captured_queries)

    add(3)
    with_3 = queries()
    add(27)
    with_30 = queries()

    assert with_3 == with_30
    assert with_30 <= MAX_LIST_QUERIES


def test_a_document_marked_in_error_stays_struck_through_with_its_reason_and_file(
    logged_in_client, secretary_a, resident_a, make_document
):
    document = make_document(secretary_a, resident_a, title="CNI de Mme Martin")
    client = logged_in_client(secretary_a)

    response = mark_in_error(client, document)

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.entered_in_error
    assert document.entered_in_error_reason == "Document d'une autre résidente"
    page = client.get(list_url(resident_a)).content.decode()
    assert "<del>" in page
    assert "Document d&#x27;une autre résidente" in page
    # Nothing is deleted: the file is still served, the history keeps both states.
    assert client.get(file_url(document)).status_code == 200
    states = list(document.history.order_by("history_date"))
    assert [s.entered_in_error for s in states] == [False, True]
    assert states[-1].history_change_reason == "Document d'une autre résidente"
    assert AccessEvent.objects.filter(
        action=AccessAction.UPDATE, object_id=str(document.public_id), user=secretary_a
    ).exists()


def test_the_record_history_shows_who_marked_a_document_in_error_and_why(
    logged_in_client, secretary_a, resident_a, make_document
):
    document = make_document(secretary_a, resident_a, title="CNI de Mme Martin")
    services.document_mark_entered_in_error(
        acting_user=secretary_a,
        document=document,
        reason="Pièce d'une homonyme",
        expected_version=document.version,
    )

    page = text(
        logged_in_client(secretary_a).get(
            reverse("people:history", kwargs={"person_id": resident_a.public_id})
            + "?partie=documents"
        )
    )

    assert "CNI de Mme Martin" in page
    assert "Pièce d'une homonyme" in page
    assert secretary_a.get_full_name() in page


def test_marking_in_error_needs_a_reason(logged_in_client, secretary_a, resident_a, make_document):
    document = make_document(secretary_a, resident_a)
    client = logged_in_client(secretary_a)

    response = mark_in_error(client, document, reason="  ")

    assert response.status_code == 302
    document.refresh_from_db()
    assert not document.entered_in_error
    assert "Indiquez pourquoi ce document a été déposé par erreur." in text(
        client.get(list_url(resident_a))
    )


def test_a_document_is_marked_in_error_only_once(secretary_a, resident_a, make_document):
    document = make_document(secretary_a, resident_a)
    services.document_mark_entered_in_error(
        acting_user=secretary_a,
        document=document,
        reason="Doublon",
        expected_version=document.version,
    )

    with pytest.raises(ValidationError):
        services.document_mark_entered_in_error(
            acting_user=secretary_a,
            document=document,
            reason="Doublon encore",
            expected_version=document.version,
        )

    assert document.history.count() == 2


def test_only_a_profession_that_writes_the_category_marks_it_in_error(
    logged_in_client, nurse_a, secretary_a, resident_a, make_document
):
    document = make_document(secretary_a, resident_a)

    response = mark_in_error(logged_in_client(nurse_a), document)

    line = assert_refused(response, CATEGORY_NOT_WRITTEN, user=nurse_a, person=resident_a)
    assert line.object_id == str(document.public_id)
    document.refresh_from_db()
    assert not document.entered_in_error


def test_a_mark_made_on_a_list_read_before_another_change_is_refused(
    logged_in_client, secretary_a, resident_a, make_document
):
    document = make_document(secretary_a, resident_a)
    client = logged_in_client(secretary_a)

    response = mark_in_error(client, document, version=document.version + 1)

    assert response.status_code == 302
    document.refresh_from_db()
    assert not document.entered_in_error
    assert "modifié par quelqu'un d'autre" in text(client.get(list_url(resident_a)))


def test_an_error_mark_without_reason_is_refused_by_the_model_and_the_database(
    secretary_a, resident_a, make_document
):
    document = make_document(secretary_a, resident_a)
    document.entered_in_error = True

    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    assert "Indiquez pourquoi ce document a été déposé par erreur." in refused.value.messages

    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(entered_in_error=True)
