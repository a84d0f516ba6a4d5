"""The "Administratif" tab: administrative file (ADMINISTRATIVE) and social aids (SOCIAL).

Each view reaches the person through `person_view` with the category it shows or writes; the
services check the write right again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from dui.access.decorators import person_view
from dui.access.models import InformationCategory
from dui.coordination.selectors import partner_manager_organisations
from dui.core.forms import add_service_errors
from dui.core.idempotency import idempotent

from .. import nir
from ..administrative import (
    administrative_file_of,
    administrative_file_save,
    general_practitioner_choices,
    social_aid_create,
    social_aid_mark_entered_in_error,
    social_aid_update,
    social_aids_of,
)
from ..forms_administrative import AdministrativeFileForm, EnteredInErrorForm, SocialAidForm
from ..models import SocialAid
from ..record_page import render_record

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
SOCIAL = InformationCategory.SOCIAL
SECTION = "administrative"


def _status_of(error: ValidationError) -> int:
    """409 for a conflict with someone else's edit, 400 for input to correct."""
    return 409 if getattr(error, "code", None) == "stale_version" else 400


def _may_manage_partners(user) -> bool:
    return bool(partner_manager_organisations(user))


@login_required
@person_view(category=ADMINISTRATIVE)
def administrative_tab(request, person_id):
    access = request.person_access
    can_read_social = access.can_read(SOCIAL)
    file = administrative_file_of(person=request.person)
    return render_record(
        request,
        "people/administrative/tab.html",
        {
            "file": file,
            "insured_number_display": nir.format_nir(file.insured_number) if file else "",
            "can_edit_file": access.can_write(ADMINISTRATIVE),
            "can_read_social": can_read_social,
            "can_edit_social": access.can_write(SOCIAL),
            "aids": social_aids_of(person=request.person) if can_read_social else [],
        },
        section=SECTION,
    )


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def administrative_edit(request, person_id):
    """Fill in (first time) or edit the administrative file."""
    person, access = request.person, request.person_access
    file = administrative_file_of(person=person)
    gp_choices = general_practitioner_choices(
        user=request.user, access=access, current=file.general_practitioner if file else None
    )
    form = AdministrativeFileForm(request.POST or None, instance=file, gp_choices=gp_choices)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                administrative_file_save(
                    acting_user=request.user,
                    person=person,
                    data=form.service_data(),
                    expected_version=form.cleaned_data["expected_version"],
                )
            except ValidationError as error:
                status = _status_of(error)
                add_service_errors(form, error)
            else:
                messages.success(request, _("Données administratives enregistrées."))
                return redirect("people:administrative", person_id=person.public_id)
    return render_record(
        request,
        "people/administrative/file_form.html",
        {
            "form": form,
            "file": file,
            "may_manage_partners": _may_manage_partners(request.user),
        },
        section=SECTION,
        status=status,
    )


def _aid_of(request, aid_id) -> SocialAid:
    return get_object_or_404(SocialAid, person=request.person, public_id=aid_id)


@login_required
@person_view(category=SOCIAL, write=True)
@idempotent
def social_aid_add(request, person_id):
    form = SocialAidForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                social_aid_create(
                    acting_user=request.user, person=request.person, **form.service_data()
                )
            except ValidationError as error:
                status = _status_of(error)
                add_service_errors(form, error)
            else:
                messages.success(request, _("Aide sociale ajoutée."))
                return redirect("people:administrative", person_id=request.person.public_id)
    return render_record(
        request,
        "people/administrative/aid_form.html",
        {"form": form, "aid": None},
        section=SECTION,
        status=status,
    )


@login_required
@person_view(category=SOCIAL, write=True)
@idempotent
def social_aid_edit(request, person_id, aid_id):
    aid = _aid_of(request, aid_id)
    if aid.entered_in_error:
        messages.error(request, _("Cette aide a été annulée : elle ne peut plus être modifiée."))
        return redirect("people:administrative", person_id=request.person.public_id)
    form = SocialAidForm(request.POST or None, instance=aid)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                social_aid_update(
                    acting_user=request.user,
                    aid=aid,
                    expected_version=form.cleaned_data["expected_version"],
                    **form.service_data(),
                )
            except ValidationError as error:
                status = _status_of(error)
                add_service_errors(form, error)
            else:
                messages.success(request, _("Aide sociale modifiée."))
                return redirect("people:administrative", person_id=request.person.public_id)
    return render_record(
        request,
        "people/administrative/aid_form.html",
        {"form": form, "aid": aid},
        section=SECTION,
        status=status,
    )


@login_required
@person_view(category=SOCIAL, write=True)
@idempotent
def social_aid_mark_in_error(request, person_id, aid_id):
    """Confirm (GET) then mark (POST) an aid as entered in error, with a reason."""
    aid = _aid_of(request, aid_id)
    form = EnteredInErrorForm(request.POST or None, initial={"expected_version": aid.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                social_aid_mark_entered_in_error(
                    acting_user=request.user,
                    aid=aid,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            except ValidationError as error:
                status = _status_of(error)
                add_service_errors(form, error)
            else:
                messages.success(request, _("Aide marquée comme saisie par erreur."))
                return redirect("people:administrative", person_id=request.person.public_id)
    return render_record(
        request,
        "people/administrative/aid_error_form.html",
        {"form": form, "aid": aid},
        section=SECTION,
        status=status,
    )
