"""Writes of documents: upload, and marking one as entered in error (never a deletion).

An upload is one use case: the row, its file, its thumbnail and its journal line exist together
or not at all. The database rolls its part back by itself; the files are not in the database,
so the service deletes those it wrote when anything fails after writing them. (Should a
caller's enclosing transaction roll back after this service returned, its files would stay on
the disk, unreachable: no row points to them.)
"""

import hashlib
import os
import unicodedata

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.models import AccessAction

from . import filetypes
from .models import Document, DocumentKind
from .uploads import max_document_bytes, too_large_message

STALE_DOCUMENT = _(
    "Ce document a été modifié par quelqu'un d'autre pendant votre saisie : rechargez la page."
)


def _clean_name(name: str) -> str:
    """The user's file name, for display and download only: no path, no control characters."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:200] or "document"


def _checked_content(uploaded_file, name: str, kind: str) -> tuple[str, bytes | None]:
    """(detected type, thumbnail JPEG or None), or a ValidationError on the file field."""
    if uploaded_file.size > max_document_bytes():
        raise ValidationError({"file": too_large_message()})
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("Le fichier « %(name)s » est vide.") % {"name": name}})
    uploaded_file.seek(0)
    mime = filetypes.detect_type(uploaded_file.read(filetypes.HEAD_BYTES))
    uploaded_file.seek(0)
    if mime is None:
        raise ValidationError(
            {
                "file": _(
                    "Le fichier « %(name)s » n'est pas un PDF ni une image (JPEG, PNG, TIFF) : "
                    "son contenu ressemble à un programme ou à un autre format."
                )
                % {"name": name}
            }
        )
    if kind == DocumentKind.PHOTO and mime == filetypes.PDF:
        raise ValidationError(
            {"file": _("Une photo doit être une image (JPEG, PNG, TIFF), pas un PDF.")}
        )
    if mime == filetypes.PDF:
        return mime, None
    try:
        return mime, filetypes.image_thumbnail(uploaded_file, mime)
    except filetypes.UnreadableImage as error:
        raise ValidationError(
            {
                "file": _(
                    "Le fichier « %(name)s » n'est pas une image lisible : il est abîmé, "
                    "incomplet ou trop grand en pixels."
                )
                % {"name": name}
            }
        ) from error


def _sha256(uploaded_file) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


@transaction.atomic
def document_upload(
    *, acting_user, person, kind, title, document_date, category, uploaded_file
) -> Document:
    """Attach a scanned document (PDF or image) to the person's record, in `category`."""
    access = writes.require_write(acting_user, person, category)
    name = _clean_name(uploaded_file.name)
    document = Document(
        person=person,
        kind=kind,
        title=(title or "").strip()
        or (str(DocumentKind(kind).label) if kind in DocumentKind.values else ""),
        document_date=document_date,
        category=category,
        original_name=name,
        size=uploaded_file.size,
        created_by=acting_user,
        updated_by=acting_user,
    )
    document._history_user = acting_user  # also outside a request (commands, tasks)
    # Every mistake of the form at once: the fields, the photo consent and the file itself.
    errors: dict = {}
    if kind == DocumentKind.PHOTO and not person.photo_consent:
        errors["kind"] = [
            _(
                "La personne n'a pas consenti à être photographiée : recueillez son "
                "consentement dans l'identité avant de déposer une photo."
            )
        ]
    try:
        document.full_clean(exclude=["file", "thumbnail", "content_type", "sha256"])
    except ValidationError as error:
        error.update_error_dict(errors)
    try:
        document.content_type, thumbnail = _checked_content(uploaded_file, name, kind)
    except ValidationError as error:
        error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    document.sha256 = _sha256(uploaded_file)

    written = []
    try:
        # The storage picks a random name (models.document_path); the user's name is kept aside.
        document.file.save(name, uploaded_file, save=False)
        written.append(document.file.name)
        if thumbnail is not None:
            document.thumbnail.save("vignette.jpg", ContentFile(thumbnail), save=False)
            written.append(document.thumbnail.name)
        document.save()
        journal.record(
            user=acting_user,
            action=AccessAction.CREATE,
            person=person,
            obj=document,
            assignment=access.acting_assignment,
        )
    except BaseException:
        for stored_name in written:
            document.file.storage.delete(stored_name)
        raise
    return document


@transaction.atomic
def document_mark_entered_in_error(
    *, acting_user, document, reason: str, expected_version
) -> Document:
    """The document stays (file and history) but is shown struck through, with the reason."""
    access = writes.require_write(acting_user, document.person, document.category)
    document = writes.lock(
        document, expected_version=expected_version, stale_message=STALE_DOCUMENT
    )
    reason = writes.required_reason(
        reason, _("Indiquez pourquoi ce document a été déposé par erreur.")
    )
    if document.entered_in_error:
        raise ValidationError(
            _("Ce document est déjà marqué comme déposé par erreur : rechargez la page.")
        )
    document.entered_in_error = True
    document.entered_in_error_reason = reason[:300]
    writes.save(document, acting_user=acting_user, reason=reason)
    journal.record(
        user=acting_user,
        action=AccessAction.UPDATE,
        person=document.person,
        obj=document,
        assignment=access.acting_assignment,
    )
    return document
