"""Uploading documents: what is accepted (by its bytes, not its name), what is refused with a
French message, and that a refusal leaves nothing behind, in the database or on the disk."""

import hashlib
import html
import io
import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import SkipFile
from django.test import Client
from django.test.client import FakePayload
from PIL import Image

from dui.access import journal
from dui.access.decorators import CATEGORY_NOT_WRITTEN, NOT_FOLLOWED
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, AccessEvent, InformationCategory
from dui.core import dates
from dui.documents import services
from dui.documents.models import Document, DocumentKind
from dui.documents.uploads import DocumentSizeLimitHandler
from tests.documents.samples import (
    EXE,
    image_bytes,
    list_url,
    minimal_pdf,
    post_upload,
    stored_files,
    upload_url,
    uploaded,
)
from tests.factories import login, professional
from tests.refusals import assert_refused

pytestmark = pytest.mark.django_db

EXE_MESSAGE = (
    "Le fichier « ordonnance.pdf » n'est pas un PDF ni une image (JPEG, PNG, TIFF) : "
    "son contenu ressemble à un programme ou à un autre format."
)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def temp_upload_dir(settings, tmp_path):
    """Every upload goes through a temporary file in a directory the test can look into."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    return tmp_path


# --- Accepted ---------------------------------------------------------------------------------


def test_the_secretary_uploads_a_pdf_stored_under_a_random_name_with_its_checksum(
    secretary_a, resident_a, make_document
):
    before = stored_files()
    content = minimal_pdf()

    document = make_document(secretary_a, resident_a, content=content, name="CNI Mme L.pdf")

    assert document.content_type == "application/pdf"
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.original_name == "CNI Mme L.pdf"
    assert document.created_by == secretary_a
    assert not document.thumbnail
    # Stored in the private directory, under a random name that says nothing of the person.
    assert stored_files() - before == {document.file.name}
    assert "CNI" not in document.file.name
    with document.file.open("rb") as stored:
        assert stored.read() == content


def test_an_upload_is_journaled_as_a_creation_of_the_document(
    secretary_a, resident_a, make_document
):
    document = make_document(secretary_a, resident_a)

    event = AccessEvent.objects.get(action=AccessAction.CREATE, object_id=str(document.public_id))
    assert event.user == secretary_a
    assert event.person == resident_a
    assert event.object_type == "documents.Document"


def test_an_image_gets_a_jpeg_thumbnail_of_at_most_256_pixels(
    secretary_a, resident_a, make_document
):
    document = make_document(
        secretary_a, resident_a, content=image_bytes("PNG", size=(900, 450)), name="scan.png"
    )

    assert document.content_type == "image/png"
    with document.thumbnail.open("rb") as thumbnail, Image.open(thumbnail) as image:
        assert image.format == "JPEG"
        assert image.size == (256, 128)


@pytest.mark.parametrize(
    ("fmt", "mime"), [("JPEG", "image/jpeg"), ("TIFF", "image/tiff"), ("PNG", "image/png")]
)
def test_jpeg_png_and_tiff_scans_are_accepted(secretary_a, resident_a, make_document, fmt, mime):
    # The name lies ("scan.pdf"): only the content counts.
    document = make_document(secretary_a, resident_a, content=image_bytes(fmt), name="scan.pdf")

    assert document.content_type == mime
    assert document.thumbnail


def test_an_empty_title_takes_the_kind_of_document(secretary_a, resident_a, make_document):
    document = make_document(secretary_a, resident_a, title="", kind=DocumentKind.INSURANCE)

    assert document.title == "Attestation d'assurance maladie, mutuelle"


def test_the_secretary_uploads_through_the_documents_tab(logged_in_client, secretary_a, resident_a):
    client = logged_in_client(secretary_a)

    response = post_upload(client, resident_a)

    assert response.status_code == 302
    assert response["Location"] == list_url(resident_a)
    page = text(client.get(list_url(resident_a)))
    assert "Document « Carte nationale d'identité » déposé." in page
    assert "Carte nationale d'identité" in page


def test_an_upload_sent_twice_with_the_same_key_creates_one_document(
    logged_in_client, secretary_a, resident_a
):
    client = logged_in_client(secretary_a)
    key = str(uuid.uuid4())

    first = post_upload(client, resident_a, idempotency_key=key)
    second = post_upload(client, resident_a, idempotency_key=key)

    assert first.status_code == second.status_code == 302
    assert Document.objects.count() == 1


# --- Refused: the content is not what it claims -----------------------------------------------


def test_an_exe_renamed_pdf_is_refused_with_a_clear_message_and_leaves_nothing(
    logged_in_client, secretary_a, resident_a, temp_upload_dir
):
    before = stored_files()

    response = post_upload(
        logged_in_client(secretary_a), resident_a, content=EXE, name="ordonnance.pdf"
    )

    assert response.status_code == 400
    assert EXE_MESSAGE in text(response)
    assert Document.objects.count() == 0
    assert Document.history.count() == 0
    assert stored_files() == before
    assert list(temp_upload_dir.iterdir()) == []  # Django's temporary upload file is gone too
    assert not AccessEvent.objects.filter(action=AccessAction.CREATE).exists()


def test_the_upload_passes_through_a_temporary_file_that_is_gone_after_the_request(
    logged_in_client, secretary_a, resident_a, temp_upload_dir, monkeypatch
):
    seen = []
    real_upload = services.document_upload

    def spy(**kwargs):
        seen.append(list(temp_upload_dir.iterdir()))
        return real_upload(**kwargs)

    monkeypatch.setattr(services, "document_upload", spy)

    response = post_upload(logged_in_client(secretary_a), resident_a, content=EXE)

    assert response.status_code == 400
    assert len(seen) == 1 and len(seen[0]) == 1  # Django had written the body to a temp file
    assert list(temp_upload_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "compte-rendu.png"),
        (b"just some text, no signature at all", "notes.pdf"),
        (b"junk before %PDF-1.4\n" + minimal_pdf()[9:], "polyglotte.pdf"),
        (b"PK\x03\x04" + b"\x00" * 200, "archive.pdf"),
    ],
)
def test_content_that_is_neither_a_pdf_nor_an_image_is_refused(
    secretary_a, resident_a, make_document, content, name
):
    before = stored_files()

    with pytest.raises(ValidationError) as refused:
        make_document(secretary_a, resident_a, content=content, name=name)

    assert f"Le fichier « {name} » n'est pas un PDF ni une image" in refused.value.messages[0]
    assert stored_files() == before


def test_an_image_that_does_not_decode_is_refused(secretary_a, resident_a, make_document):
    truncated = image_bytes("PNG")[:200]

    with pytest.raises(ValidationError) as refused:
        make_document(secretary_a, resident_a, content=truncated, name="photo.png")

    assert refused.value.message_dict["file"] == [
        "Le fichier « photo.png » n'est pas une image lisible : il est abîmé, incomplet ou trop "
        "grand en pixels."
    ]
    assert Document.objects.count() == 0


def test_an_empty_file_is_refused(secretary_a, resident_a, make_document):
    with pytest.raises(ValidationError) as refused:
        make_document(secretary_a, resident_a, content=b"", name="vide.pdf")

    assert refused.value.message_dict["file"] == ["Le fichier « vide.pdf » est vide."]


def test_a_file_name_with_a_path_and_control_characters_is_cleaned(
    secretary_a, resident_a, make_document
):
    document = make_document(secretary_a, resident_a, name="..\\..\\etc/pass\x00wd\n.pdf")

    assert document.original_name == "passwd.pdf"


# --- Refused: the form ------------------------------------------------------------------------


def test_a_document_dated_in_the_future_is_refused(secretary_a, resident_a, make_document):
    with pytest.raises(ValidationError) as refused:
        make_document(secretary_a, resident_a, document_date=dates.today() + timedelta(days=1))

    assert refused.value.message_dict["document_date"] == [
        "La date du document ne peut pas être dans le futur."
    ]
    assert Document.objects.count() == 0


def test_all_the_mistakes_of_a_form_are_told_at_once(secretary_a, resident_a, make_document):
    with pytest.raises(ValidationError) as refused:
        make_document(
            secretary_a,
            resident_a,
            content=EXE,
            document_date=dates.today() + timedelta(days=3),
        )

    assert set(refused.value.message_dict) == {"file", "document_date"}


def test_a_medical_report_is_filed_in_the_medical_part_only(doctor_a, resident_a, make_document):
    with pytest.raises(ValidationError) as refused:
        make_document(
            doctor_a,
            resident_a,
            kind=DocumentKind.MEDICAL_REPORT,
            category=InformationCategory.CARE,
        )

    assert refused.value.message_dict["category"] == [
        "Un document de type « Compte rendu médical » se range dans la partie « Médical » du "
        "dossier."
    ]
    report = make_document(
        doctor_a, resident_a, kind=DocumentKind.MEDICAL_REPORT, category=InformationCategory.MEDICAL
    )
    assert report.category == InformationCategory.MEDICAL


# --- The photo --------------------------------------------------------------------------------


def test_a_photo_needs_the_persons_consent(secretary_a, resident_a, make_document):
    assert not resident_a.photo_consent

    with pytest.raises(ValidationError) as refused:
        make_document(secretary_a, resident_a, kind=DocumentKind.PHOTO, content=image_bytes("JPEG"))

    assert refused.value.message_dict["kind"] == [
        "La personne n'a pas consenti à être photographiée : recueillez son consentement dans "
        "l'identité avant de déposer une photo."
    ]
    assert Document.objects.count() == 0


def test_a_photo_must_be_an_image(secretary_a, resident_a, make_document):
    resident_a.photo_consent = True
    resident_a.photo_consent_on = date(2026, 1, 2)
    resident_a.save()

    with pytest.raises(ValidationError) as refused:
        make_document(secretary_a, resident_a, kind=DocumentKind.PHOTO, content=minimal_pdf())

    assert refused.value.message_dict["file"] == [
        "Une photo doit être une image (JPEG, PNG, TIFF), pas un PDF."
    ]


def test_with_consent_the_photo_shows_in_the_record_header(
    logged_in_client, secretary_a, resident_a, make_document
):
    resident_a.photo_consent = True
    resident_a.photo_consent_on = date(2026, 1, 2)
    resident_a.save()
    photo = make_document(
        secretary_a,
        resident_a,
        kind=DocumentKind.PHOTO,
        title="Photo",
        content=image_bytes("JPEG"),
        name="photo.jpg",
    )
    client = logged_in_client(secretary_a)

    page = client.get(list_url(resident_a)).content.decode()
    thumbnail = client.get(f"/usagers/{resident_a.public_id}/documents/{photo.public_id}/vignette/")

    assert f'src="/usagers/{resident_a.public_id}/documents/{photo.public_id}/vignette/"' in page
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] == "image/jpeg"


# --- Size -------------------------------------------------------------------------------------


def test_the_handler_skips_the_file_as_soon_as_it_passes_the_limit(settings):
    settings.DUI_DOCUMENT_MAX_MB = 1
    handler = DocumentSizeLimitHandler()
    chunk = b"x" * (256 * 1024)

    for start in range(0, 4 * len(chunk), len(chunk)):
        assert handler.receive_data_chunk(chunk, start) == chunk  # exactly 1 MB passes
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x", 4 * len(chunk))
    assert handler.too_large


def test_a_file_just_over_the_limit_is_cut_off_while_it_streams(
    logged_in_client, secretary_a, resident_a, settings, temp_upload_dir
):
    settings.DUI_DOCUMENT_MAX_MB = 1
    before = stored_files()
    content = minimal_pdf() + b"%" + b"0" * (1024 * 1024)  # a valid PDF start, 1 MB + a bit

    response = post_upload(logged_in_client(secretary_a), resident_a, content=content)

    assert response.status_code == 400
    page = text(response)
    assert "Le fichier dépasse la taille maximale de 1 Mo." in page
    assert "Ce champ est obligatoire" not in page
    assert Document.objects.count() == 0
    assert stored_files() == before
    assert list(temp_upload_dir.iterdir()) == []


def test_a_2_mb_upload_with_a_1_mb_limit_is_refused_and_leaves_nothing(
    logged_in_client, secretary_a, resident_a, settings, temp_upload_dir
):
    settings.DUI_DOCUMENT_MAX_MB = 1
    before = stored_files()
    content = minimal_pdf() + b"%" + b"0" * (2 * 1024 * 1024)

    response = post_upload(logged_in_client(secretary_a), resident_a, content=content)

    assert response.status_code == 413
    assert "Le fichier dépasse la taille maximale de 1 Mo." in text(response)
    assert Document.objects.count() == 0
    assert stored_files() == before
    assert list(temp_upload_dir.iterdir()) == []


def test_a_request_announcing_a_huge_body_is_refused_before_the_body_is_read(
    logged_in_client, secretary_a, resident_a
):
    payload = FakePayload(b"")  # 200 MB announced, nothing sent: reading it would fail

    response = logged_in_client(secretary_a).post(
        upload_url(resident_a),
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": payload},
    )

    assert response.status_code == 413
    assert "Le fichier dépasse la taille maximale de 20 Mo." in text(response)
    assert payload.read_started is False
    assert Document.objects.count() == 0


def test_the_service_refuses_a_file_over_the_limit_too(
    secretary_a, resident_a, make_document, settings
):
    settings.DUI_DOCUMENT_MAX_MB = 1

    with pytest.raises(ValidationError) as refused:
        make_document(
            secretary_a, resident_a, content=minimal_pdf() + b"0" * (1024 * 1024), name="gros.pdf"
        )

    assert refused.value.message_dict["file"] == ["Le fichier dépasse la taille maximale de 1 Mo."]


# --- Nothing left behind ----------------------------------------------------------------------


def test_if_the_journal_fails_the_row_and_both_stored_files_are_removed(
    secretary_a, resident_a, make_document, monkeypatch
):
    before = stored_files()

    def broken_journal(**kwargs):
        # The file and the thumbnail are written by now.
        assert len(stored_files() - before) == 2
        raise RuntimeError("journal indisponible")

    monkeypatch.setattr(journal, "record", broken_journal)

    with pytest.raises(RuntimeError):
        make_document(secretary_a, resident_a, content=image_bytes("PNG"), name="scan.png")

    assert stored_files() == before
    assert Document.objects.count() == 0


# --- Who may upload ---------------------------------------------------------------------------


def test_the_service_refuses_a_category_the_user_may_not_write(nurse_a, resident_a, make_document):
    with pytest.raises(AccessDenied, match="ne peut pas modifier cette partie") as refused:
        make_document(nurse_a, resident_a, category=InformationCategory.ADMINISTRATIVE)
    assert refused.value.person == resident_a
    assert Document.objects.count() == 0


def test_a_nurse_posting_to_the_administrative_part_is_refused_and_it_is_journaled(
    logged_in_client, nurse_a, resident_a
):
    before = stored_files()

    response = post_upload(logged_in_client(nurse_a), resident_a)

    assert_refused(response, CATEGORY_NOT_WRITTEN, user=nurse_a, person=resident_a)
    assert Document.objects.count() == 0
    assert stored_files() == before


def test_a_nurse_uploads_a_care_document(logged_in_client, nurse_a, resident_a):
    response = post_upload(
        logged_in_client(nurse_a),
        resident_a,
        kind=DocumentKind.REPORT,
        title="Bilan kiné",
        category=InformationCategory.CARE,
    )

    assert response.status_code == 302
    assert Document.objects.get().category == InformationCategory.CARE


def test_a_nurse_of_another_ehpad_cannot_upload(logged_in_client, nurse_b, resident_a):
    response = post_upload(logged_in_client(nurse_b), resident_a, category=InformationCategory.CARE)

    assert_refused(response, NOT_FOLLOWED, user=nurse_b, person=resident_a)
    assert Document.objects.count() == 0


def test_the_upload_checks_the_csrf_token(secretary_a, resident_a):
    client = login(Client(enforce_csrf_checks=True), secretary_a)

    response = post_upload(client, resident_a)

    # Django's CSRF refusal, before any access rule: nothing stored.
    assert response.status_code == 403 and b"CSRF" in response.content
    assert Document.objects.count() == 0


def test_the_upload_form_offers_only_the_categories_the_user_writes(
    logged_in_client, doctor_a, resident_a
):
    page = logged_in_client(doctor_a).get(list_url(resident_a)).content.decode()

    assert 'value="medical"' in page
    assert 'value="care"' in page
    assert 'value="administrative"' not in page


def test_a_profession_that_writes_nothing_sees_no_upload_form(
    logged_in_client, resident_a, ehpad_a
):
    pharmacist = professional(username="pharma.a", profession="pharmacien", establishment=ehpad_a)

    response = logged_in_client(pharmacist).get(list_url(resident_a))

    assert response.status_code == 200
    assert "Déposer un document" not in text(response)


def test_the_identity_page_link_preselects_the_photo_kind(
    logged_in_client, secretary_a, resident_a
):
    page = logged_in_client(secretary_a).get(list_url(resident_a) + "?type=photo").content.decode()

    assert '<option value="photo" selected>' in page


def test_a_posted_form_without_category_is_a_bad_request(logged_in_client, secretary_a, resident_a):
    response = post_upload(logged_in_client(secretary_a), resident_a, category="")

    assert response.status_code == 400
    assert Document.objects.count() == 0


def test_the_service_reads_the_file_from_its_start_whatever_was_read_before(
    secretary_a, resident_a
):
    content = minimal_pdf()
    upload = uploaded(content)
    upload.read(10)

    document = services.document_upload(
        acting_user=secretary_a,
        person=resident_a,
        kind=DocumentKind.LETTER,
        title="Courrier",
        document_date=date(2026, 2, 1),
        category=InformationCategory.ADMINISTRATIVE,
        uploaded_file=upload,
    )

    assert document.sha256 == hashlib.sha256(content).hexdigest()


def test_thumbnails_are_small_whatever_the_image(secretary_a, resident_a, make_document):
    document = make_document(
        secretary_a, resident_a, content=image_bytes("PNG", size=(300, 2000), mode="RGBA")
    )

    with document.thumbnail.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert max(image.size) == 256
    assert image.mode == "RGB"


def test_an_image_of_more_than_40_million_pixels_is_refused_before_decoding(
    secretary_a, resident_a, make_document
):
    # 7,000 × 6,000 black-and-white pixels: a few kilobytes as PNG, 42 million pixels decoded.
    huge = image_bytes("PNG", size=(7000, 6000), mode="1")

    with pytest.raises(ValidationError) as refused:
        make_document(secretary_a, resident_a, content=huge, name="scan.png")

    assert "trop grand en pixels" in refused.value.message_dict["file"][0]
    assert Document.objects.count() == 0


def test_an_upload_to_a_record_the_user_cannot_write_is_refused_before_the_body_is_read(
    logged_in_client, nurse_b, resident_a
):

    payload = FakePayload(b"x" * 1024)

    response = logged_in_client(nurse_b).post(
        upload_url(resident_a),
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH="1024",
        **{"wsgi.input": payload},
    )

    assert_refused(response, NOT_FOLLOWED, user=nurse_b, person=resident_a)
    assert payload.read_started is False
