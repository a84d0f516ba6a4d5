"""The care tab of a person's record. Here: allergies and intolerances."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from dui.access.decorators import person_view
from dui.access.models import InformationCategory
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent
from dui.people.record_page import render_record

from . import services
from .forms import AllergyErrorForm, AllergyForm
from .models import Allergy
from .selectors import person_allergies

CARE = InformationCategory.CARE
SECTION = "soins"


def _allergies_url(person):
    return redirect("care:allergies", person_id=person.public_id)


@login_required
@person_view(category=CARE)
def allergies(request, person_id):
    return render_record(
        request,
        "care/allergies.html",
        {
            **person_allergies(person=request.person),
            "can_write": request.person_access.can_write(CARE),
        },
        section=SECTION,
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def allergy_create(request, person_id):
    form = AllergyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            allergy = services.allergy_create(
                acting_user=request.user, person=request.person, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                (
                    _("Intolérance enregistrée : %(s)s.")
                    if allergy.is_intolerance
                    else _("Allergie enregistrée : %(s)s.")
                )
                % {"s": allergy.substance},
            )
            return _allergies_url(request.person)
    return render_record(
        request,
        "care/allergy_form.html",
        {"form": form},
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def allergy_error(request, person_id, allergy_id):
    allergy = get_object_or_404(Allergy, person=request.person, public_id=allergy_id)
    if allergy.entered_in_error:
        messages.info(request, _("Cette allergie est déjà marquée comme saisie par erreur."))
        return _allergies_url(request.person)
    form = AllergyErrorForm(request.POST or None, initial={"version": allergy.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.allergy_mark_entered_in_error(
                acting_user=request.user,
                allergy=allergy,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("« %(s)s » est marquée comme saisie par erreur.") % {"s": allergy.substance},
            )
            return _allergies_url(request.person)
    return render_record(
        request,
        "care/allergy_error.html",
        {"form": form, "allergy": allergy},
        section=SECTION,
        status=form_status(request),
    )
