"""Step 1 (« Renseigner »): log an inquiry, the list to follow up, close, convert into an
application in one action. Pages of the user's current establishment; persons come from
`persons_visible_to`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access.decorators import person_data_view
from dui.access.policy import persons_visible_to
from dui.core.forms import add_service_errors
from dui.core.idempotency import idempotent
from dui.people import services as people_services
from dui.people.search import normalise_name

from . import selectors, services
from .forms_inquiries import InquiryCloseForm, InquiryConvertForm, InquiryForm
from .inquiries import DOCUMENT_CHOICES, inquiry_close, inquiry_convert

PAGE_SIZE = 50
SEARCH_LIMIT = 20


def _establishment(request):
    assignment = getattr(request, "assignment", None)
    if not assignment:
        raise PermissionDenied(_("Vous n'avez aucune affectation active."))
    return assignment.establishment


def _inquiry(request, inquiry_id):
    inquiry = selectors.visible_inquiry(
        user=request.user, establishment=_establishment(request), inquiry_id=inquiry_id
    )
    if inquiry is None:
        raise Http404(_("Demande de renseignement introuvable."))
    return inquiry


def request_url(admission_request) -> str:
    """The application page (built by another brick); the pipeline list until it exists."""
    try:
        return reverse("admissions:request_detail", args=[admission_request.public_id])
    except NoReverseMatch:
        return reverse("admissions:pipeline_list")


@login_required
@person_data_view
def inquiry_list(request):
    """« À relancer »: open inquiries by follow-up date, the overdue ones flagged."""
    establishment = _establishment(request)
    today = timezone.localdate()
    page = Paginator(
        selectors.open_inquiries(user=request.user, establishment=establishment), PAGE_SIZE
    ).get_page(request.GET.get("page"))
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
    establishment = _establishment(request)
    visible = persons_visible_to(user=request.user)
    search = (request.GET.get("q") or "").strip()
    if request.method == "POST":
        chosen = request.POST.get("person") or None
        persons = visible.filter(pk=chosen) if chosen and chosen.isdigit() else visible.none()
        form = InquiryForm(request.POST, persons=persons)
    else:
        persons = visible.none()
        if search:
            word = normalise_name(search)
            persons = visible.filter(search_name__contains=word).order_by(
                "birth_name", "first_names"
            )[:SEARCH_LIMIT]
        form = InquiryForm(persons=persons, initial={"person_search": search})
        if search:
            form.fields["person"].queryset = visible.filter(
                pk__in=[p.pk for p in persons]
            ).order_by("birth_name", "first_names")
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
        status=400 if request.method == "POST" else 200,
    )


@login_required
@person_data_view
@idempotent
def inquiry_close_view(request, inquiry_id):
    inquiry = _inquiry(request, inquiry_id)
    form = InquiryCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inquiry_close(acting_user=request.user, inquiry=inquiry, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Demande de renseignement close."))
            return redirect("admissions:inquiry_list")
    return render(
        request,
        "admissions/inquiry_close.html",
        {"form": form, "inquiry": inquiry, "documents": dict(DOCUMENT_CHOICES)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@person_data_view
@idempotent
def inquiry_convert_view(request, inquiry_id):
    """One action: the record (if needed, with the duplicate check) and the application."""
    inquiry = _inquiry(request, inquiry_id)
    form = InquiryConvertForm(request.POST or None, inquiry=inquiry)
    matches, visible_ids = [], set()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            admission_request = inquiry_convert(
                acting_user=request.user,
                inquiry=inquiry,
                source=data["source"],
                place_kind=data["place_kind"],
                received_on=data["received_on"],
                wished_start=data["wished_start"],
                wished_end=data["wished_end"],
                urgent=data["urgent"],
                duplicate_reason=data.get("duplicate_reason", ""),
                identity=form.identity(),
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
                % {"name": admission_request.person.display_name},
            )
            return redirect(request_url(admission_request))
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
        status=400 if request.method == "POST" else 200,
    )
