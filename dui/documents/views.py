"""The "Documents" tab of the record, the upload, and the files, served only through the access
layer: never from a public URL, each read journaled, each refusal too.

The two POST views need a write right on a category known only from the request (the category
chosen for an upload, the category of the document marked in error), so they apply
`person_view(category=…)` at request time once they know it, and carry `access_checked`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from dui.access import journal
from dui.access.decorators import person_view
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import person_access, person_model
from dui.core.forms import add_service_errors
from dui.core.idempotency import idempotent
from dui.people.record import render_record

from . import services
from .filetypes import download_name
from .forms import DocumentUploadForm, EnteredInErrorForm
from .selectors import document_category, documents_readable, person_document
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
            "page": Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page")),
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
    if person is None or not person_access(user=request.user, person=person).writable:
        # Refused before a byte of the body is read (nobody may make the server store an
        # upload for a record they cannot write); person_view says why and journals it.
        return person_view(category=InformationCategory.ADMINISTRATIVE)(_never_reached)(
            request, person_id
        )
    limit = DocumentSizeLimitHandler(request)
    request.upload_handlers.insert(0, limit)
    return _upload_checked(request, person_id, limit)


def _never_reached(request, person_id):  # pragma: no cover - person_view refuses first
    raise AssertionError("a user without any write right reached the upload")


document_upload.access_checked = True  # person_view is applied in _upload_checked


@csrf_protect
def _upload_checked(request, person_id, limit):
    category = request.POST.get("category", "")
    if category not in InformationCategory.values:
        return HttpResponseBadRequest(_("Formulaire incomplet : choisissez la partie du dossier."))
    # Refusals are journaled by person_view, outside the idempotency transaction.
    return person_view(category=category)(idempotent(_upload))(request, person_id, limit=limit)


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
    access = request.person_access
    journal.record_from_request(
        request,
        action=AccessAction.READ,
        person=request.person,
        obj=request.person,
        assignment=access.acting_assignment,
        break_glass=access.via_break_glass,
        object_type="page:documents:list",
    )
    return _list_page(request, form, status=400)


def _readable_document(request, document_id, *, object_type: str = ""):
    """(document, None) after journaling the read, or (None, 403 response) after journaling
    the refusal. A document of another person is a 404, whatever the user's rights."""
    document = person_document(person=request.person, public_id=document_id)
    if document is None:
        raise Http404(_("Document introuvable."))
    access = request.person_access
    common = {
        "person": request.person,
        "obj": document,
        "assignment": access.acting_assignment,
        "break_glass": access.via_break_glass,
        "object_type": object_type,
    }
    if not access.can_read(document.category):
        journal.record_from_request(request, action=AccessAction.DENIED, **common)
        denied = render(
            request,
            "access/denied.html",
            {
                "person_public_id": request.person.public_id,
                "message": _("Votre profession n'a pas accès à cette partie du dossier."),
                "break_glass_possible": False,
            },
            status=403,
        )
        return None, denied
    journal.record_from_request(request, action=AccessAction.READ, **common)
    return document, None


def _private_file(field_file, content_type: str, filename: str) -> FileResponse:
    response = FileResponse(
        field_file.open("rb"), content_type=content_type, as_attachment=False, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"  # never let the browser guess another type
    response["Cache-Control"] = "private, no-store"  # no copy left in a shared tablet's cache
    response["Content-Security-Policy"] = "sandbox"  # a PDF's scripts get no origin
    return response


@login_required
@person_view(journal_reads=False)  # the read journaled is the document's, below
def document_file(request, person_id, document_id):
    document, denied = _readable_document(request, document_id)
    if denied:
        return denied
    return _private_file(
        document.file,
        document.content_type,
        download_name(document.original_name, document.content_type),
    )


@login_required
@person_view(journal_reads=False)
def document_thumbnail(request, person_id, document_id):
    document, denied = _readable_document(
        request, document_id, object_type="documents.Document.thumbnail"
    )
    if denied:
        return denied
    if not document.thumbnail:
        raise Http404(_("Ce document n'a pas de vignette."))
    return _private_file(document.thumbnail, "image/jpeg", "vignette.jpg")


@login_required
@require_POST
def document_entered_in_error(request, person_id, document_id):
    category = document_category(person_public_id=person_id, public_id=document_id)
    if category is None:
        raise Http404(_("Document introuvable."))
    return person_view(category=category)(idempotent(_mark_in_error))(
        request, person_id, document_id
    )


document_entered_in_error.access_checked = True  # person_view is applied with its category


def _mark_in_error(request, person_id, document_id):
    document = person_document(person=request.person, public_id=document_id)
    form = EnteredInErrorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez pourquoi ce document a été déposé par erreur."))
    else:
        try:
            services.document_mark_entered_in_error(
                acting_user=request.user, document=document, reason=form.cleaned_data["reason"]
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
