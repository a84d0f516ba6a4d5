"""Pages of falls and wounds: the « Chutes et plaies » section of the record, the fall
declaration and its follow-up, the wound page (body diagram, assessments, size curve, photos,
linked care) and the unit's « Plaies en cours ». Thin views: access → form → service →
redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dui.access.decorators import person_data_view, person_view
from dui.access.errors import AccessDenied
from dui.access.models import InformationCategory
from dui.access.policy import user_rights_in
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent
from dui.core.pagination import page_of
from dui.people.record_page import render_record

from . import body, selectors, services
from .forms import (
    CareLinesForm,
    EnteredInErrorForm,
    FallAmendForm,
    FallForm,
    FollowUpForm,
    HealForm,
    WoundAssessmentForm,
    WoundForm,
)
from .models import Fall, Wound, WoundAssessment

CARE = InformationCategory.CARE
SECTION = "chutes_plaies"
NO_ASSIGNMENT = _("Choisissez d'abord l'établissement ou l'unité où vous travaillez.")
NO_CARE_RIGHT = _("Votre profession n'a pas accès aux soins de cet établissement.")


def _to_section(person):
    return redirect("care:incidents", person_id=person.public_id)


def _to_wound(wound):
    return redirect(
        "care:incidents_wound", person_id=wound.person.public_id, wound_id=wound.public_id
    )


def _fall(request, fall_id) -> Fall:
    return get_object_or_404(Fall, person=request.person, public_id=fall_id)


def _wound(request, wound_id) -> Wound:
    return get_object_or_404(
        Wound.objects.select_related("establishment", "person"),
        person=request.person,
        public_id=wound_id,
    )


@login_required
@person_view(category=CARE)
def incidents(request, person_id):
    """« Chutes et plaies »: the falls (12-month count, fall-risk assessments) and wounds."""
    person = request.person
    access = request.person_access
    return render_record(
        request,
        "care/incidents/section.html",
        {
            "falls": page_of(
                request, selectors.person_falls(person=person), selectors.FALLS_PER_PAGE
            ),
            "falls_12_months": selectors.falls_in_twelve_months(person=person),
            "fall_risk": selectors.fall_risk(person=person, access=access),
            **selectors.person_wounds(person=person),
            "reassess_days": selectors.REASSESS_DAYS,
            "can_write": access.can_write(CARE),
        },
        section=SECTION,
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def fall_create(request, person_id):
    person = request.person
    form = FallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fall = services.fall_declare(
                acting_user=request.user, person=person, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Chute déclarée."))
            if fall.alert is not None:
                messages.warning(
                    request,
                    _("Chutes répétées : %(detail)s") % {"detail": fall.alert.detail},
                )
            return redirect(
                "care:incidents_fall", person_id=person.public_id, fall_id=fall.public_id
            )
    return render_record(
        request,
        "care/incidents/fall_form.html",
        {
            "form": form,
            "fall_risk": selectors.fall_risk(person=person, access=request.person_access),
        },
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=CARE)
def fall_detail(request, person_id, fall_id):
    fall = _fall(request, fall_id)
    versions = list(
        fall.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    follow_ups = []
    previous = None
    for version in reversed(versions):
        if version.follow_up and version.follow_up != previous:
            follow_ups.append(version)
        previous = version.follow_up
    return render_record(
        request,
        "care/incidents/fall.html",
        {
            "fall": fall,
            "versions": versions,
            "follow_ups": list(reversed(follow_ups)),
            "fall_risk": selectors.fall_risk(person=request.person, access=request.person_access),
            "can_write": request.person_access.can_write(CARE),
        },
        section=SECTION,
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def fall_amend(request, person_id, fall_id):
    fall = _fall(request, fall_id)
    if fall.entered_in_error:
        raise Http404(_("Cette chute est marquée comme saisie par erreur."))
    form = FallAmendForm(request.POST or None, instance=fall, initial={"version": fall.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.fall_amend(
                acting_user=request.user,
                fall=fall,
                data=data,
                expected_version=data.pop("version"),
                reason=data.pop("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Déclaration de chute modifiée (nouvelle version)."))
            return redirect("care:incidents_fall", person_id=person_id, fall_id=fall.public_id)
    return render_record(
        request,
        "care/incidents/fall_form.html",
        {"form": form, "fall": fall},
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def fall_follow_up(request, person_id, fall_id):
    fall = _fall(request, fall_id)
    if fall.entered_in_error:
        raise Http404(_("Cette chute est marquée comme saisie par erreur."))
    form = FollowUpForm(
        request.POST or None, initial={"version": fall.version, "follow_up": fall.follow_up}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.fall_follow_up(
                acting_user=request.user,
                fall=fall,
                follow_up=form.cleaned_data["follow_up"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Suivi de la chute enregistré."))
            return redirect("care:incidents_fall", person_id=person_id, fall_id=fall.public_id)
    return render_record(
        request,
        "care/incidents/follow_up_form.html",
        {"form": form, "fall": fall},
        section=SECTION,
        status=form_status(request),
    )


def _lines(person):
    return selectors.active_plan_lines(person=person)


@login_required
@person_view(category=CARE, write=True)
@idempotent
def wound_create(request, person_id):
    person = request.person
    zone = request.GET.get("zone", "")
    initial = {"body_site": zone} if zone in body.BY_CODE else {}
    form = WoundForm(request.POST or None, lines=_lines(person), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            wound = services.wound_open(
                acting_user=request.user,
                person=person,
                data=data,
                lines=list(data.pop("lines", [])),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Plaie enregistrée : %(w)s.") % {"w": wound})
            return _to_wound(wound)
    chosen = form.data.get("body_site") if form.is_bound else initial.get("body_site")
    return render_record(
        request,
        "care/incidents/wound_form.html",
        {"form": form, "diagram": body.body_diagram(selected=[chosen], link="?zone=")},
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=CARE)
def wound_detail(request, person_id, wound_id):
    wound = _wound(request, wound_id)
    return render_record(
        request,
        "care/incidents/wound.html",
        {
            "wound": wound,
            "diagram": body.body_diagram(selected=[wound.body_site]),
            **selectors.wound_detail(wound=wound),
            "reassess_days": selectors.REASSESS_DAYS,
            "can_write": request.person_access.can_write(CARE),
        },
        section=SECTION,
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def wound_assess(request, person_id, wound_id):
    wound = _wound(request, wound_id)
    if wound.entered_in_error or wound.healed_on:
        messages.info(request, _("Cette plaie n'est plus suivie : elle ne s'évalue plus."))
        return _to_wound(wound)
    form = WoundAssessmentForm(request.POST or None, request.FILES or None, wound=wound)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None)
        try:
            services.wound_assess(acting_user=request.user, wound=wound, data=data, photos=[photo])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Évaluation de la plaie enregistrée."))
            return _to_wound(wound)
    return render_record(
        request,
        "care/incidents/assessment_form.html",
        {"form": form, "wound": wound, "photo_consent": request.person.photo_consent},
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def wound_heal(request, person_id, wound_id):
    wound = _wound(request, wound_id)
    form = HealForm(request.POST or None, initial={"version": wound.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.wound_heal(
                acting_user=request.user,
                wound=wound,
                healed_on=form.cleaned_data["healed_on"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("« %(w)s » est cicatrisée.") % {"w": wound})
            return _to_wound(wound)
    return render_record(
        request,
        "care/incidents/simple_form.html",
        {
            "form": form,
            "title": _("Plaie cicatrisée"),
            "entry": wound,
            "back_url": _to_wound(wound).url,
        },
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def wound_lines(request, person_id, wound_id):
    wound = _wound(request, wound_id)
    current = [item.line.public_id for item in selectors.linked_lines(wound=wound)]
    form = CareLinesForm(
        request.POST or None, lines=_lines(request.person), initial={"lines": current}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.wound_care_lines_set(
                acting_user=request.user, wound=wound, lines=list(form.cleaned_data["lines"])
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Soins liés à la plaie enregistrés."))
            return _to_wound(wound)
    return render_record(
        request,
        "care/incidents/simple_form.html",
        {
            "form": form,
            "title": _("Soins du plan qui traitent cette plaie"),
            "entry": wound,
            "back_url": _to_wound(wound).url,
            "plan_url": reverse("care:plan", kwargs={"person_id": person_id}),
        },
        section=SECTION,
        status=form_status(request),
    )


# URL word → (model, lookup of the person, service).
ENTRY_KINDS = {
    "chute": (Fall, "person", services.fall_mark_entered_in_error, "fall"),
    "plaie": (Wound, "person", services.wound_mark_entered_in_error, "wound"),
    "evaluation": (
        WoundAssessment,
        "wound__person",
        services.wound_assessment_mark_entered_in_error,
        "assessment",
    ),
}


@login_required
@person_view(category=CARE, write=True)
@idempotent
def entry_error(request, person_id, kind, entry_id):
    if kind not in ENTRY_KINDS:
        raise Http404(_("Type de saisie inconnu."))
    model, person_lookup, service, argument = ENTRY_KINDS[kind]
    entry = get_object_or_404(model, **{person_lookup: request.person, "public_id": entry_id})
    if model is WoundAssessment:
        back = _to_wound(entry.wound)
    elif model is Wound:
        back = _to_wound(entry)
    else:
        back = _to_section(request.person)
    if entry.entered_in_error:
        messages.info(request, _("Cette saisie est déjà marquée comme saisie par erreur."))
        return back
    form = EnteredInErrorForm(request.POST or None, initial={"version": entry.version})
    if request.method == "POST" and form.is_valid():
        try:
            service(
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                **{argument: entry},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("« %(s)s » est marqué comme saisie par erreur.") % {"s": entry}
            )
            return back
    return render_record(
        request,
        "care/incidents/simple_form.html",
        {
            "form": form,
            "title": _("Saisie par erreur"),
            "entry": entry,
            "back_url": back.url,
            "error_intro": True,
        },
        section=SECTION,
        status=form_status(request),
    )


def _care_assignment(request):
    assignment = request.assignment
    if not assignment:
        raise AccessDenied(NO_ASSIGNMENT)
    if not user_rights_in(request.user, assignment.establishment_id)[CARE][0]:
        raise AccessDenied(NO_CARE_RIGHT)
    return assignment


@login_required
@require_safe
@person_data_view
def open_wounds(request):
    """« Plaies en cours »: the unit's wounds not healed, the least recently assessed first."""
    assignment = _care_assignment(request)
    page = page_of(
        request,
        selectors.unit_open_wounds(user=request.user, assignment=assignment),
        selectors.WOUNDS_PER_PAGE,
    )
    return render(
        request,
        "care/incidents/open_wounds.html",
        {
            "page": page,
            "rows": selectors.rows_of(page.object_list, establishment=assignment.establishment),
            "assignment": assignment,
            "reassess_days": selectors.REASSESS_DAYS,
        },
    )
