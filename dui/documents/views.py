"""The "Documents" tab of the record, the upload, and the files, served only through the access
layer: never from a public URL, each read journaled, each refusal too.

A URL that names a document is checked on the document's own category (`object_view`); the
upload is checked on the category chosen in the form (`person_view_by`), once the size limit is
in place.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from dui.access.decorators import (
    journal_read,
    object_view,
    open_record,
    person_view,
    person_view_by,
)
from dui.access.models import InformationCategory
from dui.access.policy import person_access, person_model
from dui.core.forms import add_service_errors
from dui.core.idempotency import idempotent
from dui.core.pagination import page_of
from dui.people.record_page import render_record

from . import services
from .filetypes import download_name
from .forms import DocumentUploadForm, EnteredInErrorForm
from .selectors import document_by_public_id, documents_readable
from .uploads import DocumentSizeLimitHandler, body_announced_too_large, too_large_message

PAGE_SIZE = 25


def _writable(access) -> list[str]:
    return [code for code in InformationCategory.values if access.can_write(code)]


def _upload_form(request, *args, **kwargs) -> DocumentUploadForm:
    return DocumentUploadForm(
        *args,
        writable=_writable(request.person_access),
        max_mb=settings.DUI_DOCUMENT_MAX_MB,
        **kwargs,
    )


def _list_page(request, form, *, status=200):
    access = request.person_access
    documents = documents_readable(person=request.person, access=access)
    return render_record(
        request,
        "documents/list.html",
        {
            "page": page_of(request, documents, PAGE_SIZE),
            "form": form,
            "writable": _writable(access),
            "error_form": EnteredInErrorForm(),
        },
        section="documents",
        status=status,
    )


@login_required
@person_view()
def document_list(request, person_id):
    """The documents of the categories the user reads; the upload form if they write one.
    `?type=photo` preselects the kind (the identity page links here to add a photo)."""
    form = None
    if _writable(request.person_access):
        form = _upload_form(request, kind=request.GET.get("type", ""))
    return _list_page(request, form)


def _posted_category(request, **kwargs) -> str:
    """The category chosen for the upload: the write right checked is on it."""
    return request.POST.get("category", "")


def _of_named_person(request, document):
    """A document asked under another person's id does not exist at this URL (whatever the
    user's rights on either person): no refusal, no journal line, a 404."""
    if str(document.person.public_id) != str(request.resolver_match.kwargs["person_id"]):
        raise Http404(_("Document introuvable."))
    return None


def _category_of(document) -> str:
    return document.category


def document_view(*, write=False, journal_reads=True):
    """The URL names a document of the person: access is checked on the document's own
    category (read, or write for `write`), refusals journaled on the document."""
    return object_view(
        document_by_public_id,
        url_kwarg="document_id",
        attribute="document",
        category=_category_of,
        scope=_of_named_person,
        write=write,
        journal_reads=journal_reads,
    )


@login_required
@require_POST
@csrf_exempt  # checked by _upload_checked, once the size limit is in place (see below)
def document_upload(request, person_id):
    """Upload a document. The size limit must be installed before anything reads the body,
    and the CSRF check reads it: hence csrf_exempt here and csrf_protect just below (Django
    docs, "Modifying upload handlers on the fly")."""
    if body_announced_too_large(request):
        # Not one byte of the body is read: nothing reaches the disk.
        return render(
            request,
            "documents/too_large.html",
            {"message": too_large_message(), "person_id": person_id},
            status=413,
        )
    person = person_model().objects.filter(public_id=person_id).first()
    if person is None:
        raise Http404(_("Personne introuvable."))
    if not person_access(user=request.user, person=person).writable:
        # Refused before a byte of the body is read (nobody may make the server store an
        # upload for a record they cannot write): the access layer says why and journals it.
        return open_record(request, person, category=InformationCategory.ADMINISTRATIVE, write=True)
    limit = DocumentSizeLimitHandler(request)
    request.upload_handlers.insert(0, limit)
    return _upload_checked(request, person_id, limit)


document_upload.access_checked = True  # open_record above, person_view_by in _upload


@csrf_protect
def _upload_checked(request, person_id, limit):
    if _posted_category(request) not in InformationCategory.values:
        return HttpResponseBadRequest(_("Formulaire incomplet : choisissez la partie du dossier."))
    return _upload(request, person_id, limit=limit)


# Refusals are journaled by the access layer, outside the idempotency transaction.
@person_view_by(_posted_category, write=True, journal_reads=False)
@idempotent
def _upload(request, person_id, *, limit):
    form = _upload_form(request, request.POST, request.FILES, file_too_large=limit.too_large)
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_upload(
                acting_user=request.user,
                person=request.person,
                kind=data["kind"],
                title=data["title"],
                document_date=data["document_date"],
                category=data["category"],
                uploaded_file=data["file"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Document « %(title)s » déposé.") % {"title": document.title}
            )
            return redirect("documents:list", person_id=request.person.public_id)
    # The list is shown again with the form's errors: that is a read of the record.
    journal_read(
        request,
        person=request.person,
        access=request.person_access,
        object_type="page:documents:list",
    )
    return _list_page(request, form, status=400)


def _private_file(field_file, content_type: str, filename: str) -> FileResponse:
    response = FileResponse(
        field_file.open("rb"), content_type=content_type, as_attachment=False, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"  # never let the browser guess another type
    response["Cache-Control"] = "private, no-store"  # no copy left in a shared tablet's cache
    response["Content-Security-Policy"] = "sandbox"  # a PDF's scripts get no origin
    return response


@login_required
@document_view(journal_reads=False)  # the read journaled is the document's, below
def document_file(request, person_id, document_id):
    document = request.document
    journal_read(request, person=request.person, access=request.person_access, obj=document)
    return _private_file(
        document.file,
        document.content_type,
        download_name(document.original_name, document.content_type),
    )


@login_required
@document_view(journal_reads=False)
def document_thumbnail(request, person_id, document_id):
    document = request.document
    journal_read(
        request,
        person=request.person,
        access=request.person_access,
        obj=document,
        object_type="documents.Document.thumbnail",
    )
    if not document.thumbnail:
        raise Http404(_("Ce document n'a pas de vignette."))
    return _private_file(document.thumbnail, "image/jpeg", "vignette.jpg")


@login_required
@require_POST
@document_view(write=True)
@idempotent
def document_entered_in_error(request, person_id, document_id):
    document = request.document
    form = EnteredInErrorForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    else:
        try:
            services.document_mark_entered_in_error(
                acting_user=request.user,
                document=document,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Document « %(title)s » marqué comme déposé par erreur ; il reste consultable.")
                % {"title": document.title},
            )
    return redirect("documents:list", person_id=request.person.public_id)
