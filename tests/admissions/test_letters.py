"""Letters of an application: generated as real PDFs from the establishment's wording (or the
default one), stored as documents of the person; the wording runs in a sandbox."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from dui.access.errors import AccessDenied
from dui.access.models import AccessEvent
from dui.admissions.models import (
    AdmissionDecision,
    ApplicationPiece,
    DecisionOutcome,
    LetterKind,
    LetterTemplate,
    PieceKind,
)
from dui.admissions.sandbox import render_body
from dui.admissions.services import letters
from dui.admissions.services.applications import application_applicant_set
from dui.core.pdf import LocalOnlyFetcher, html_to_pdf
from dui.documents.models import Document, DocumentKind
from tests.admissions.helpers import key, new_application
from tests.factories import PersonFactory
from tests.refusals import assert_refused, assert_service_refused


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def document_text(document: Document) -> tuple[int, str]:
    with document.file.open("rb") as handle:
        return pdf_text(handle.read())


@pytest.fixture
def application(secretary_a, ehpad_a, today):
    person = PersonFactory(birth_name="MARTIN", first_names="Jeanne Louise", sex="F")
    return new_application(
        secretary_a, ehpad_a, person=person, received_on=today - timedelta(days=3)
    )


def refuse(application, user, today, reason="Dépendance trop lourde pour notre unité"):
    return AdmissionDecision.objects.create(
        application=application,
        decided_on=today,
        outcome=DecisionOutcome.REFUSED,
        reason=reason,
        decided_by=user,
    )


def test_an_acknowledgement_is_a_pdf_document_of_the_person_naming_them_and_the_establishment(
    application, secretary_a
):
    document = letters.letter_generate(
        acting_user=secretary_a, application=application, kind=LetterKind.ACKNOWLEDGEMENT
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


def test_the_letter_reads_as_a_professional_writes_it(application, secretary_a):
    """Issue 12, words: « née le » for a woman (not « né(e) »), « à l'EHPAD », « de l'EHPAD »."""
    document = letters.letter_generate(
        acting_user=secretary_a, application=application, kind=LetterKind.ACKNOWLEDGEMENT
    )
    text = " ".join(document_text(document)[1].split())
    assert "née le" in text and "né(e)" not in text
    assert "à l'EHPAD Les Tilleuls" in text and "La direction de l'EHPAD Les Tilleuls" in text
    assert "à EHPAD" not in text and "de EHPAD" not in text


def with_applicant(application, user, **extra):
    data = {
        "applicant_kind": "relative",
        "applicant_name": "Mme Claire MARTIN (fille)",
        "applicant_organisation": "",
        "applicant_address": "12 rue des Lilas",
        "applicant_postcode": "69003",
        "applicant_city": "Lyon",
        **extra,
    }
    return application_applicant_set(
        acting_user=user, application=application, data=data, expected_version=application.version
    )


def test_the_missing_pieces_letter_lists_every_piece_not_yet_received(
    application, secretary_a, today
):
    """Every missing piece: those added to the list, and the ones expected by default (the
    administrative part of the Cerfa 14732 here) that no one has touched yet."""
    application = with_applicant(application, secretary_a)
    ApplicationPiece.objects.create(application=application, kind=PieceKind.CERFA_MEDICAL)
    ApplicationPiece.objects.create(
        application=application, kind=PieceKind.IDENTITY, received_on=today
    )
    ApplicationPiece.objects.create(
        application=application, kind=PieceKind.OTHER, detail="Justificatif de domicile"
    )
    document = letters.letter_generate(
        acting_user=secretary_a, application=application, kind=LetterKind.MISSING_PIECES
    )
    _, text = document_text(document)
    assert "volet médical" in text and "volet administratif" in text
    assert "Justificatif de domicile" in text
    assert "Pièce d'identité" not in text


def test_the_missing_pieces_letter_is_addressed_to_the_applicant_by_post(application, secretary_a):
    application = with_applicant(application, secretary_a)
    document = letters.letter_generate(
        acting_user=secretary_a, application=application, kind=LetterKind.MISSING_PIECES
    )
    _, text = document_text(document)
    assert "Mme Claire MARTIN (fille)" in text
    assert "12 rue des Lilas" in text and "69003 Lyon" in text
    assert "Concerne : Jeanne MARTIN" in text
    assert "Madame, Monsieur," in text  # the salutation is to the applicant, not the person


def test_the_missing_pieces_letter_refuses_to_be_generated_without_a_postal_address(
    application, secretary_a
):
    application = with_applicant(application, secretary_a, applicant_city="")
    with pytest.raises(ValidationError) as error:
        letters.letter_generate(
            acting_user=secretary_a, application=application, kind=LetterKind.MISSING_PIECES
        )
    assert "adresse postale" in " ".join(error.value.messages)
    assert not Document.objects.filter(person=application.person).exists()


def test_a_letter_of_an_application_made_by_the_person_is_addressed_to_her(
    application, secretary_a
):
    application = with_applicant(
        application, secretary_a, applicant_kind="person", applicant_name=""
    )
    document = letters.letter_generate(
        acting_user=secretary_a, application=application, kind=LetterKind.MISSING_PIECES
    )
    _, text = document_text(document)
    assert "Madame Jeanne MARTIN" in text and "12 rue des Lilas" in text
    assert "Concerne" not in text


def test_a_refusal_letter_without_a_recorded_reason_is_refused(application, secretary_a):
    with pytest.raises(ValidationError) as error:
        letters.letter_generate(
            acting_user=secretary_a, application=application, kind=LetterKind.REFUSAL
        )
    assert "motif de refus" in " ".join(error.value.messages)
    assert not Document.objects.filter(person=application.person).exists()


def test_a_refusal_letter_gives_the_reason_of_the_committee(
    application, secretary_a, director_a, today
):
    refuse(application, director_a, today)
    document = letters.letter_generate(
        acting_user=secretary_a, application=application, kind=LetterKind.REFUSAL
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
        expected_version=0,
    )
    document = letters.letter_generate(
        acting_user=secretary_a, application=application, kind=LetterKind.ACCEPTANCE
    )
    assert document.title == "Bonne nouvelle"
    _, text = document_text(document)
    assert "Chère Jeanne MARTIN" in text
    assert "<b>bienvenue</b>" in text  # typed text stays text, never HTML


def test_a_quoted_literal_in_a_template_stays_text():
    html = render_body('{{ "<img src=x>" }} & {{ personne_nom }}', {"personne_nom": "<b>"})
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
            expected_version=0,
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
            expected_version=0,
        )
    assert "ne peut pas utiliser « {% load %} »" in error.value.message_dict["body"][0]


def test_a_template_change_is_kept_in_history_and_a_stale_edit_is_refused(secretary_a, ehpad_a):
    kw = {"acting_user": secretary_a, "establishment": ehpad_a, "kind": LetterKind.REFUSAL}
    first = letters.letter_template_save(
        **kw, title="Refus", body="v1 {{ motif_refus }}", expected_version=0
    )
    assert first.version == 1
    template = letters.letter_template_save(
        **kw, title="Refus", body="v2 {{ motif_refus }}", expected_version=1
    )
    assert template.history.count() == 2 and template.version == 2
    for stale in (1, 0):  # read before the last change, or before the first one
        with pytest.raises(ValidationError) as error:
            letters.letter_template_save(**kw, title="Refus", body="v3", expected_version=stale)
        assert "quelqu'un d'autre" in " ".join(error.value.messages)
    with pytest.raises(ValidationError, match="version de la fiche manquante"):
        letters.letter_template_save(**kw, title="Refus", body="v3", expected_version=None)
    template.refresh_from_db()
    assert template.body == "v2 {{ motif_refus }}"


def test_a_nurse_may_not_edit_the_letter_templates(nurse_a, ehpad_a):
    with pytest.raises(AccessDenied) as refused:
        letters.letter_template_save(
            acting_user=nurse_a,
            establishment=ehpad_a,
            kind=LetterKind.ACKNOWLEDGEMENT,
            title="x",
            body="x",
            expected_version=0,
        )
    assert_service_refused(
        refused, "Votre profession ne peut pas modifier les modèles de courrier."
    )
    assert not LetterTemplate.objects.exists()


def test_weasyprint_fetches_no_remote_resource():
    with pytest.raises(ValueError):
        LocalOnlyFetcher().fetch("https://example.org/logo.png")
    with pytest.raises(ValueError):
        LocalOnlyFetcher().fetch("file:///etc/passwd")
    html = '<p>Texte</p><img src="https://example.org/x.png"><img src="file:///etc/hostname">'
    pages, _ = pdf_text(html_to_pdf(html))
    assert pages == 1


# --- Pages ------------------------------------------------------------------------------------


def test_the_letters_page_lists_the_kinds_and_generates_a_letter(
    application, secretary_a, logged_in_client
):
    client = logged_in_client(secretary_a)
    url = reverse("admissions:letters", kwargs={"application_id": application.public_id})
    page = client.get(url)
    assert page.status_code == 200
    assert "Accusé de réception" in page.content.decode()
    response = client.post(url, {"kind": LetterKind.ACKNOWLEDGEMENT, "idempotency_key": key()})
    assert response.status_code == 302
    assert Document.objects.filter(person=application.person, kind="letter").count() == 1


def test_the_letters_page_refuses_a_refusal_letter_without_reason_in_french(
    application, secretary_a, logged_in_client
):
    client = logged_in_client(secretary_a)
    url = reverse("admissions:letters", kwargs={"application_id": application.public_id})
    response = client.post(url, {"kind": LetterKind.REFUSAL, "idempotency_key": key()})
    assert response.status_code == 400
    assert "motif de refus" in response.content.decode()
    assert not Document.objects.filter(person=application.person).exists()


def test_a_professional_of_another_establishment_cannot_open_the_letters(
    application, nurse_b, logged_in_client
):
    client = logged_in_client(nurse_b)
    url = reverse("admissions:letters", kwargs={"application_id": application.public_id})
    assert_refused(
        client.get(url),
        "Cette demande est instruite par un autre établissement.",
        user=nurse_b,
        person=application.person,
    )


def test_a_nurse_of_the_establishment_reads_the_letters_but_cannot_generate_one(
    application, nurse_ehpad_a, logged_in_client
):
    client = logged_in_client(nurse_ehpad_a)
    url = reverse("admissions:letters", kwargs={"application_id": application.public_id})
    page = client.get(url)
    assert page.status_code == 200 and "Générer le courrier" not in page.content.decode()
    assert_refused(
        client.post(url, {"kind": LetterKind.ACKNOWLEDGEMENT, "idempotency_key": key()}),
        "Votre profession ne peut pas modifier cette partie du dossier",
        user=nurse_ehpad_a,
        person=application.person,
    )
    assert not Document.objects.filter(person=application.person).exists()


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
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 302
    template = LetterTemplate.objects.get(establishment=ehpad_a)
    assert template.body == "Bonjour {{ personne_prenom }}" and template.version == 1
    assert 'name="version" value="1"' in client.get(url).content.decode()
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
            "idempotency_key": key(),
        },
    )
    assert response.status_code == 400
    assert "load" in response.content.decode()


def test_a_nurse_cannot_open_the_template_pages(nurse_a, logged_in_client):
    client = logged_in_client(nurse_a)
    for url in (
        reverse("admissions:letter_templates"),
        reverse("admissions:letter_template", kwargs={"kind": LetterKind.ACKNOWLEDGEMENT}),
        reverse("admissions:letter_template_preview", kwargs={"kind": LetterKind.ACKNOWLEDGEMENT}),
    ):
        assert_refused(
            client.get(url),
            "Seules la direction et le secrétariat de l'établissement modifient les courriers.",
            user=nurse_a,
        )


def test_the_application_page_links_to_its_letters(application, secretary_a, logged_in_client):
    client = logged_in_client(secretary_a)
    page = client.get(
        reverse("admissions:application_detail", kwargs={"application_id": application.public_id})
    )
    assert reverse("admissions:letters", kwargs={"application_id": application.public_id}) in (
        page.content.decode()
    )


def test_the_letters_page_runs_a_bounded_number_of_queries(
    application, secretary_a, logged_in_client, django_assert_max_num_queries
):
    client = logged_in_client(secretary_a)
    url = reverse("admissions:letters", kwargs={"application_id": application.public_id})
    for kind in (LetterKind.ACKNOWLEDGEMENT, LetterKind.ACCEPTANCE):
        letters.letter_generate(acting_user=secretary_a, application=application, kind=kind)
    with django_assert_max_num_queries(30):
        page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count("/fichier/") == 2
