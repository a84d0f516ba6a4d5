"""Step 1 (« Renseigner »): log an inquiry, the list to follow up, close, convert into an
application in one action. Pages of the user's current establishment, for the professions
that handle its administrative files (`permissions.may_handle_inquiries`): they show
prospects' identities and phone numbers. Known persons come from `persons_visible_to`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dui.access.decorators import person_data_view
from dui.access.errors import AccessDenied
from dui.access.policy import persons_visible_to
from dui.core import dates
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent
from dui.core.pagination import page_of
from dui.people import services as people_services
from dui.people.search import normalise_name

from ..forms.inquiries import DOCUMENT_CHOICES, InquiryCloseForm, InquiryConvertForm, InquiryForm
from ..permissions import INQUIRIES_REFUSED, may_handle_inquiries
from ..selectors import open_inquiries, visible_inquiry
from ..services import inquiries as services
from .common import current_establishment

PAGE_SIZE = 50
SEARCH_LIMIT = 20


def _inquiries_establishment(request):
    """The acting establishment, whose inquiries the user handles; else a refusal (journaled
    by the access layer, with its reason)."""
    establishment = current_establishment(request)
    if not may_handle_inquiries(request.user, establishment.pk):
        raise AccessDenied(INQUIRIES_REFUSED)
    return establishment


def _inquiry(request, inquiry_id):
    inquiry = visible_inquiry(
        user=request.user,
        establishment=_inquiries_establishment(request),
        inquiry_id=inquiry_id,
    )
    if inquiry is None:
        raise Http404(_("Demande de renseignement introuvable."))
    return inquiry


def may_handle_inquiries_here(request) -> bool:
    """Menu entries of step 1: shown to those who may use them (no query: cached rights)."""
    assignment = getattr(request, "assignment", None)
    return bool(assignment) and may_handle_inquiries(request.user, assignment.establishment_id)


@login_required
@person_data_view
def inquiry_list(request):
    """« À relancer »: open inquiries by follow-up date, the overdue ones flagged."""
    establishment = _inquiries_establishment(request)
    today = dates.today(establishment)
    page = page_of(
        request, open_inquiries(user=request.user, establishment=establishment), PAGE_SIZE
    )
    for inquiry in page:
        inquiry.overdue = bool(inquiry.follow_up_on and inquiry.follow_up_on < today)
    return render(
        request,
        "admissions/inquiry_list.html",
        {"establishment": establishment, "page": page, "today": today, "querystring": ""},
    )


@login_required
@person_data_view
@idempotent
def inquiry_new(request):
    establishment = _inquiries_establishment(request)
    visible = persons_visible_to(user=request.user)
    if request.method == "POST" and request.POST.get("action") == "search":
        # « Rechercher une personne déjà connue » inside the form: what was typed comes back
        # as typed (issue 12, item 5), nothing is checked nor saved.
        search = (request.POST.get("person_search") or "").strip()
        form = InquiryForm(persons=_found(visible, search), initial=_typed(request.POST))
        return render(
            request,
            "admissions/inquiry_form.html",
            {"form": form, "establishment": establishment, "search": search},
        )
    search = (request.GET.get("q") or "").strip()
    if request.method == "POST":
        # The person chosen travels by public id; only a visible one is accepted.
        form = InquiryForm(request.POST, persons=visible)
    else:
        form = InquiryForm(persons=_found(visible, search), initial={"person_search": search})
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.inquiry_create(
                acting_user=request.user, establishment=establishment, data=form.inquiry_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Demande de renseignement enregistrée : %s.") % inquiry)
            return redirect("admissions:inquiry_list")
    return render(
        request,
        "admissions/inquiry_form.html",
        {"form": form, "establishment": establishment, "search": search},
        status=form_status(request),
    )


def _found(visible, search: str):
    """The visible persons whose name contains what was typed (at most SEARCH_LIMIT)."""
    if not search:
        return visible.none()
    found = visible.filter(search_name__contains=normalise_name(search)).order_by(
        "birth_name", "first_names"
    )[:SEARCH_LIMIT]
    return visible.filter(pk__in=[p.pk for p in found]).order_by("birth_name", "first_names")


def _typed(data) -> dict:
    """The form's values as typed, to show them again unchecked (initial, not bound: a search
    is not a submission and shows no errors)."""
    typed = {key: data.get(key) for key in InquiryForm.base_fields if key in data}
    typed["documents_sent"] = data.getlist("documents_sent")
    return typed


@login_required
@person_data_view
@idempotent
def inquiry_close(request, inquiry_id):
    inquiry = _inquiry(request, inquiry_id)
    form = InquiryCloseForm(request.POST or None, initial={"version": inquiry.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_close(
                acting_user=request.user,
                inquiry=inquiry,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Demande de renseignement close."))
            return redirect("admissions:inquiry_list")
    return render(
        request,
        "admissions/inquiry_close.html",
        {"form": form, "inquiry": inquiry, "documents": dict(DOCUMENT_CHOICES)},
        status=form_status(request),
    )


@login_required
@person_data_view
@idempotent
def inquiry_convert(request, inquiry_id):
    """One action: the record (if needed, with the duplicate check) and the application."""
    inquiry = _inquiry(request, inquiry_id)
    form = InquiryConvertForm(request.POST or None, inquiry=inquiry)
    matches, visible_ids = [], set()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.inquiry_convert(
                acting_user=request.user,
                inquiry=inquiry,
                expected_version=data["version"],
                source=data["source"],
                place_kind=data["place_kind"],
                received_on=data["received_on"],
                wished_start=data["wished_start"],
                wished_end=data["wished_end"],
                urgent=data["urgent"],
                duplicate_reason=data.get("duplicate_reason", ""),
                identity=form.identity(),
                applicant_address=form.applicant_postal_address(),
            )
        except people_services.ProbableDuplicates as duplicates:
            matches = duplicates.matches
            form.add_error("duplicate_reason", duplicates.messages)
            visible_ids = set(
                persons_visible_to(user=request.user)
                .filter(pk__in=[m.person.pk for m in matches])
                .values_list("pk", flat=True)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Demande d'admission de %(name)s enregistrée.")
                % {"name": application.person.display_name},
            )
            return redirect(reverse("admissions:application_detail", args=[application.public_id]))
    return render(
        request,
        "admissions/inquiry_convert.html",
        {
            "form": form,
            "inquiry": inquiry,
            "matches": matches,
            "visible_ids": visible_ids,
            "documents": dict(DOCUMENT_CHOICES),
        },
        status=form_status(request),
    )
