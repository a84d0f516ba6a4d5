"""Reads of documents, always for a person already opened through the access layer. Which
documents a user may see is one rule, `Document.objects.readable_with(access)`: the list, the
pickers of other tabs (identity, entourage) and the downloads all go through it."""

from .models import Document, DocumentKind


def person_photo(*, person) -> Document | None:
    """The latest photo, only while the person's consent to photos stands."""
    if not person.photo_consent:
        return None
    return (
        Document.objects.filter(person=person, kind=DocumentKind.PHOTO)
        .current()
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


def documents_of_kind(*, person, kind: str, access):
    """The person's current documents of one kind that the user may read, newest first: the
    choices of a picker (the identity document checked, the signed designation form of the
    trusted person, the judgement of a protection measure)."""
    return (
        Document.objects.filter(person=person, kind=kind)
        .current()
        .readable_with(access)
        .order_by("-document_date", "-pk")
    )


def document_by_public_id(public_id) -> Document | None:
    """One document by its public id, with its person (None if there is none): what
    `object_view` resolves before it checks access on the document's person."""
    return Document.objects.select_related("person").filter(public_id=public_id).first()
