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
