"""Reads of documents, always for a person already opened through the access layer."""

from .models import Document, DocumentKind


def person_photo(*, person) -> Document | None:
    """The latest photo, only while the person's consent to photos stands."""
    if not person.photo_consent:
        return None
    return (
        Document.objects.filter(person=person, kind=DocumentKind.PHOTO, entered_in_error=False)
        .order_by("-created_at")
        .only("public_id", "person_id", "thumbnail", "content_type", "category")
        .first()
    )


def documents_readable(*, person, access):
    """The person's documents in the categories the user reads, newest first, with who
    uploaded them (one query per page, whatever the number of documents)."""
    return (
        Document.objects.filter(person=person)
        .readable_with(access)
        .select_related("created_by")
        .order_by("-document_date", "-created_at", "-pk")
    )


def person_document(*, person, public_id) -> Document | None:
    """One document of this person (None if the id belongs to no document of theirs); the
    caller checks its category against the user's rights."""
    return Document.objects.filter(person=person, public_id=public_id).first()


def document_category(*, person_public_id, public_id) -> str | None:
    """Only the category of a document, to know which write right a POST on it needs before
    the person is opened through the access layer (no content is read)."""
    return (
        Document.objects.filter(public_id=public_id, person__public_id=person_public_id)
        .values_list("category", flat=True)
        .first()
    )
