"""Letters of an application: generated as real PDFs from the establishment's wording (or the
default one), stored as documents of the person; the wording runs in a sandbox."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dui.access.models import AccessEvent
from dui.admissions import letters, services
from dui.admissions.models import (
    AdmissionDecision,
    DecisionOutcome,
    LetterKind,
    LetterTemplate,
    PieceKind,
    RequestPiece,
)
from dui.documents.models import Document, DocumentKind
from tests.factories import PersonFactory

TODAY = timezone.localdate()


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def document_text(document: Document) -> tuple[int, str]:
    with document.file.open("rb") as handle:
        return pdf_text(handle.read())


@pytest.fixture
def application(secretary_a, ehpad_a):
    person = PersonFactory(birth_name="MARTIN", first_names="Jeanne Louise", sex="F")
    return services.admission_request_create(
        acting_user=secretary_a,
        establishment=ehpad_a,
        person=person,
        source="direct",
        place_kind="permanent",
        received_on=TODAY - timedelta(days=3),
    )


def refuse(application, user, reason="Dépendance trop lourde pour notre unité"):
    return AdmissionDecision.objects.create(
        request=application,
        decided_on=TODAY,
        outcome=DecisionOutcome.REFUSED,
        reason=reason,
        decided_by=user,
    )


def test_an_acknowledgement_is_a_pdf_document_of_the_person_naming_them_and_the_establishment(
    application, secretary_a
):
    document = letters.letter_generate(
        acting_user=secretary_a, request=application, kind=LetterKind.ACKNOWLEDGEMENT
    )
    assert document.person == application.person
    assert document.kind == DocumentKind.LETTER and document.category == "administrative"
    assert document.content_type == "application/pdf"
    pages, text = document_text(document)
    assert pages >= 1
    assert "MARTIN" in text and "Jeanne" in text
    assert "EHPAD Les Tilleuls" in text and application.establishment.finess in text
    assert AccessEvent.objects.filter(
        person=application.person, action="create", object_type__icontains="document"
    ).exists()


def test_the_missing_pieces_letter_lists_the_pieces_not_yet_received(application, secretary_a):
    RequestPiece.objects.create(request=application, kind=PieceKind.CERFA_MEDICAL)
    RequestPiece.objects.create(request=application, kind=PieceKind.IDENTITY, received_on=TODAY)
    document = letters.letter_generate(
        acting_user=secretary_a, request=application, kind=LetterKind.MISSING_PIECES
    )
    _, text = document_text(document)
    assert "volet médical" in text
    assert "Pièce d'identité" not in text


def test_a_refusal_letter_without_a_recorded_reason_is_refused(application, secretary_a):
    with pytest.raises(ValidationError) as error:
        letters.letter_generate(
            acting_user=secretary_a, request=application, kind=LetterKind.REFUSAL
        )
    assert "motif de refus" in " ".join(error.value.messages)
    assert not Document.objects.filter(person=application.person).exists()


def test_a_refusal_letter_gives_the_reason_of_the_committee(application, secretary_a, director_a):
    refuse(application, director_a)
    document = letters.letter_generate(
        acting_user=secretary_a, request=application, kind=LetterKind.REFUSAL
    )
    _, text = document_text(document)
    assert "Dépendance trop lourde" in " ".join(text.split())


def test_the_establishment_wording_replaces_the_default(application, secretary_a, ehpad_a):
    letters.letter_template_save(
        acting_user=secretary_a,
        establishment=ehpad_a,
        kind=LetterKind.ACCEPTANCE,
        title="Bonne nouvelle",
        body="Chère {{ personne_prenom }} {{ personne_nom }}, <b>bienvenue</b> {{ inconnue }}.",
    )
    document = letters.letter_generate(
        acting_user=secretary_a, request=application, kind=LetterKind.ACCEPTANCE
    )
    assert document.title == "Bonne nouvelle"
    _, text = document_text(document)
    assert "Chère Jeanne MARTIN" in text
    assert "<b>bienvenue</b>" in text  # typed text stays text, never HTML


def test_a_quoted_literal_in_a_template_stays_text():
    html = letters.render_body('{{ "<img src=x>" }} & {{ personne_nom }}', {"personne_nom": "<b>"})
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img src=x&gt; &amp; &lt;b&gt;" in html


@pytest.mark.parametrize(
    "body",
    [
        "{% load static %}Bonjour",
        "{% include 'base.html' %}",
        "{% extends 'base.html' %}",
        "{% debug %}",
        "{{ personne_nom|safe }}",
        "{% if %}",
    ],
)
def test_a_template_beyond_variables_if_and_for_is_refused(secretary_a, ehpad_a, body):
    with pytest.raises(ValidationError) as error:
        letters.letter_template_save(
            acting_user=secretary_a,
            establishment=ehpad_a,
            kind=LetterKind.ACKNOWLEDGEMENT,
            title="Accusé",
            body=body,
        )
    assert "body" in error.value.message_dict
    assert not LetterTemplate.objects.exists()


def test_a_template_with_load_is_refused_with_a_french_message(secretary_a, ehpad_a):
    with pytest.raises(ValidationError) as error:
        letters.letter_template_save(
            acting_user=secretary_a,
            establishment=ehpad_a,
            kind=LetterKind.ACKNOWLEDGEMENT,
            title="Accusé",
            body="{% load i18n %}{{ personne_nom }}",
        )
    assert "ne peut pas utiliser « {% load %} »" in error.value.message_dict["body"][0]


def test_a_template_change_is_kept_in_history_and_a_stale_edit_is_refused(secretary_a, ehpad_a):
    kw = {"acting_user": secretary_a, "establishment": ehpad_a, "kind": LetterKind.REFUSAL}
    letters.letter_template_save(**kw, title="Refus", body="v1 {{ motif_refus }}")
    template = letters.letter_template_save(
        **kw, title="Refus", body="v2 {{ motif_refus }}", expected_version=1
    )
    assert template.history.count() == 2
    with pytest.raises(ValidationError) as error:
        letters.letter_template_save(**kw, title="Refus", body="v3", expected_version=1)
    assert "quelqu'un d'autre" in " ".join(error.value.messages)


def test_a_nurse_may_not_edit_the_letter_templates(nurse_a, ehpad_a):
    with pytest.raises(PermissionDenied):
        letters.letter_template_save(
            acting_user=nurse_a,
            establishment=ehpad_a,
            kind=LetterKind.ACKNOWLEDGEMENT,
            title="x",
            body="x",
        )


def test_weasyprint_fetches_no_remote_resource():
    with pytest.raises(ValueError):
        letters.LocalOnlyFetcher().fetch("https://example.org/logo.png")
    with pytest.raises(ValueError):
        letters.LocalOnlyFetcher().fetch("file:///etc/passwd")
    html = '<p>Texte</p><img src="https://example.org/x.png"><img src="file:///etc/hostname">'
    pages, _ = pdf_text(letters.html_to_pdf(html))
    assert pages == 1


# --- Pages ------------------------------------------------------------------------------------


def test_the_letters_page_lists_the_kinds_and_generates_a_letter(
    application, secretary_a, logged_in_client
):
    client = logged_in_client(secretary_a)
    url = reverse("admissions:letters", kwargs={"request_id": application.public_id})
    page = client.get(url)
    assert page.status_code == 200
    assert "Accusé de réception" in page.content.decode()
    response = client.post(
        url,
        {
            "kind": LetterKind.ACKNOWLEDGEMENT,
            "idempotency_key": "9b1c8f0e-0d6a-4c33-9f0a-1d2e3f405060",
        },
    )
    assert response.status_code == 302
    assert Document.objects.filter(person=application.person, kind="letter").count() == 1


def test_the_letters_page_refuses_a_refusal_letter_without_reason_in_french(
    application, secretary_a, logged_in_client
):
    client = logged_in_client(secretary_a)
    url = reverse("admissions:letters", kwargs={"request_id": application.public_id})
    response = client.post(
        url, {"kind": LetterKind.REFUSAL, "idempotency_key": "1b1c8f0e-0d6a-4c33-9f0a-1d2e3f405060"}
    )
    assert response.status_code == 400
    assert "motif de refus" in response.content.decode()
    assert not Document.objects.filter(person=application.person).exists()


def test_a_professional_of_another_establishment_cannot_open_the_letters(
    application, nurse_b, logged_in_client
):
    client = logged_in_client(nurse_b)
    url = reverse("admissions:letters", kwargs={"request_id": application.public_id})
    assert client.get(url).status_code == 403


def test_the_template_page_saves_and_previews_a_pdf(secretary_a, logged_in_client, ehpad_a):
    client = logged_in_client(secretary_a)
    url = reverse("admissions:letter_template", kwargs={"kind": LetterKind.ACKNOWLEDGEMENT})
    page = client.get(url)
    assert page.status_code == 200 and "personne_nom" in page.content.decode()
    response = client.post(
        url,
        {
            "title": "Accusé",
            "body": "Bonjour {{ personne_prenom }}",
            "version": "0",
            "idempotency_key": "2b1c8f0e-0d6a-4c33-9f0a-1d2e3f405060",
        },
    )
    assert response.status_code == 302
    assert LetterTemplate.objects.get(establishment=ehpad_a).body == "Bonjour {{ personne_prenom }}"
    preview = client.get(
        reverse("admissions:letter_template_preview", kwargs={"kind": LetterKind.ACKNOWLEDGEMENT})
    )
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    pages, text = pdf_text(preview.content)
    assert pages >= 1 and "EHPAD Les Tilleuls" in text


def test_the_template_page_shows_the_refusal_of_a_load_tag(secretary_a, logged_in_client):
    client = logged_in_client(secretary_a)
    url = reverse("admissions:letter_template", kwargs={"kind": LetterKind.ACKNOWLEDGEMENT})
    response = client.post(
        url,
        {
            "title": "Accusé",
            "body": "{% load static %}",
            "version": "0",
            "idempotency_key": "3b1c8f0e-0d6a-4c33-9f0a-1d2e3f405060",
        },
    )
    assert response.status_code == 400
    assert "load" in response.content.decode()


def test_a_nurse_cannot_open_the_template_page(nurse_a, logged_in_client):
    client = logged_in_client(nurse_a)
    url = reverse("admissions:letter_template", kwargs={"kind": LetterKind.ACKNOWLEDGEMENT})
    assert client.get(url).status_code == 403


def test_the_application_page_links_to_its_letters(application, secretary_a, logged_in_client):
    client = logged_in_client(secretary_a)
    page = client.get(
        reverse("admissions:request_detail", kwargs={"request_id": application.public_id})
    )
    assert reverse("admissions:letters", kwargs={"request_id": application.public_id}) in (
        page.content.decode()
    )


def test_the_letters_page_runs_a_bounded_number_of_queries(
    application, secretary_a, logged_in_client, django_assert_max_num_queries
):
    client = logged_in_client(secretary_a)
    url = reverse("admissions:letters", kwargs={"request_id": application.public_id})
    for kind in (LetterKind.ACKNOWLEDGEMENT, LetterKind.ACCEPTANCE):
        letters.letter_generate(acting_user=secretary_a, request=application, kind=kind)
    with django_assert_max_num_queries(30) as captured:
        assert client.get(url).status_code == 200
    print("letters page queries:", len(captured))
