"""Documents are served only through the access layer: the person must be visible, the
document's category readable; every read and every refusal is journaled; the response keeps the
browser from guessing, caching or running anything."""

import html

import pytest
from django.urls import reverse

from dui.access.decorators import CATEGORY_NOT_READ, NOT_FOLLOWED
from dui.access.models import AccessAction, AccessEvent, InformationCategory
from dui.documents.models import DocumentKind
from tests.documents.samples import file_url, image_bytes, list_url, minimal_pdf
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def identity_card(secretary_a, resident_a, make_document):
    return make_document(secretary_a, resident_a, name="CNI recto-verso.pdf")


@pytest.fixture
def medical_report(doctor_a, resident_a, make_document):
    return make_document(
        doctor_a,
        resident_a,
        kind=DocumentKind.MEDICAL_REPORT,
        title="Compte rendu d'hospitalisation",
        category=InformationCategory.MEDICAL,
        name="CRH.pdf",
    )


def test_the_file_is_served_inline_with_headers_that_keep_it_private(
    logged_in_client, nurse_a, identity_card
):
    response = logged_in_client(nurse_a).get(file_url(identity_card))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == minimal_pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="CNI recto-verso.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "sandbox"


def test_the_download_name_carries_the_real_extension(
    logged_in_client, secretary_a, resident_a, make_document
):
    scan = make_document(secretary_a, resident_a, content=image_bytes("JPEG"), name="scan.pdf")

    response = logged_in_client(secretary_a).get(file_url(scan))

    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="scan.pdf.jpg"'


def test_a_non_ascii_file_name_is_encoded_safely(
    logged_in_client, secretary_a, resident_a, make_document
):
    document = make_document(secretary_a, resident_a, name='Décision "tutelle".pdf')

    response = logged_in_client(secretary_a).get(file_url(document))

    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''D%C3%A9cision%20%22tutelle%22.pdf"
    )


def test_reading_a_file_is_journaled_as_a_read_of_that_document(
    logged_in_client, nurse_a, resident_a, identity_card
):
    logged_in_client(nurse_a).get(file_url(identity_card))

    event = AccessEvent.objects.get(user=nurse_a, action=AccessAction.READ)
    assert event.person == resident_a
    assert event.object_type == "documents.Document"
    assert event.object_id == str(identity_card.public_id)


def test_a_nurse_of_another_ehpad_is_refused_the_file_and_it_is_journaled(
    logged_in_client, nurse_b, resident_a, identity_card
):
    response = logged_in_client(nurse_b).get(file_url(identity_card))

    assert_refused(response, NOT_FOLLOWED, user=nurse_b, person=resident_a)
    assert not hasattr(response, "streaming_content")
    assert not AccessEvent.objects.filter(user=nurse_b, action=AccessAction.READ).exists()


def test_a_nurse_of_another_ehpad_is_refused_the_thumbnail_and_the_list(
    logged_in_client, nurse_b, secretary_a, resident_a, make_document
):
    scan = make_document(secretary_a, resident_a, content=image_bytes("PNG"), name="scan.png")
    client = logged_in_client(nurse_b)

    thumbnail = client.get(file_url(scan, "thumbnail"))
    assert_refused(thumbnail, NOT_FOLLOWED, user=nurse_b, person=resident_a)
    assert not hasattr(thumbnail, "streaming_content")
    assert_refused(client.get(list_url(resident_a)), NOT_FOLLOWED, user=nurse_b, person=resident_a)


def test_an_aide_does_not_see_a_medical_report_in_the_list(
    logged_in_client, aide_a, resident_a, identity_card, medical_report
):
    page = text(logged_in_client(aide_a).get(list_url(resident_a)))

    assert identity_card.title in page
    assert "hospitalisation" not in page
    assert str(medical_report.public_id) not in page


def test_an_aide_is_refused_the_medical_report_url_and_the_refusal_is_journaled(
    logged_in_client, aide_a, resident_a, medical_report
):
    response = logged_in_client(aide_a).get(file_url(medical_report))

    denied = assert_refused(response, CATEGORY_NOT_READ, user=aide_a, person=resident_a)
    assert denied.object_id == str(medical_report.public_id)
    assert AccessEvent.objects.filter(user=aide_a, action=AccessAction.DENIED).count() == 1


def test_the_nurse_reads_the_medical_report(logged_in_client, nurse_a, medical_report):
    assert logged_in_client(nurse_a).get(file_url(medical_report)).status_code == 200


def test_a_document_asked_under_another_persons_id_is_not_found(
    logged_in_client, nurse_a, resident_a, unit_a, identity_card
):
    from tests.factories import CareTeamMembershipFactory, PersonFactory

    neighbour = PersonFactory()
    CareTeamMembershipFactory(person=neighbour, establishment=unit_a.establishment, unit=unit_a)
    url = reverse(
        "documents:file",
        kwargs={"person_id": neighbour.public_id, "document_id": identity_card.public_id},
    )

    assert logged_in_client(nurse_a).get(url).status_code == 404


def test_a_pdf_has_no_thumbnail(logged_in_client, nurse_a, identity_card):
    assert logged_in_client(nurse_a).get(file_url(identity_card, "thumbnail")).status_code == 404


def test_the_thumbnail_is_a_private_jpeg_and_its_read_is_journaled(
    logged_in_client, nurse_a, secretary_a, resident_a, make_document
):
    scan = make_document(secretary_a, resident_a, content=image_bytes("PNG"), name="scan.png")

    response = logged_in_client(nurse_a).get(file_url(scan, "thumbnail"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AccessEvent.objects.get(user=nurse_a, action=AccessAction.READ)
    assert event.object_type == "documents.Document.thumbnail"


def test_the_documents_are_not_reachable_without_login(client, identity_card):
    response = client.get(file_url(identity_card))

    assert response.status_code == 302
    assert "/compte/" in response["Location"]
