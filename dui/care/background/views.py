"""The background pages of the record: the « Antécédents » tab (medical category) and the care
items of the « Soins » section (devices, diet and texture, directives anticipées), their forms,
and « aucune allergie connue » recorded from the allergies page. Thin views: access → form →
service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from dui.access.decorators import person_view, person_view_by
from dui.access.models import InformationCategory
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent
from dui.core.pagination import page_of
from dui.documents.models import Document
from dui.people.record_page import render_record

from . import selectors, services
from .forms import (
    AdvanceDirectiveForm,
    DeviceForm,
    DeviceRemoveForm,
    DietPlanForm,
    EnteredInErrorForm,
    HistoryEndForm,
    MedicalHistoryForm,
    StatementForm,
    VaccinationForm,
)
from .models import (
    AdvanceDirective,
    AllergyStatement,
    DietPlan,
    MedicalHistory,
    PersonDevice,
    Vaccination,
)

CARE = InformationCategory.CARE
MEDICAL = InformationCategory.MEDICAL
MEDICAL_SECTION = "antecedents"
CARE_SECTION = "soins"
DOCUMENT_CHOICES_BOUND = 50

# URL word → model, for « saisie par erreur » (its category is the model's: services.CATEGORY).
ENTRY_KINDS = {
    "antecedent": MedicalHistory,
    "vaccination": Vaccination,
    "appareil": PersonDevice,
    "regime": DietPlan,
    "directives": AdvanceDirective,
    "sans-allergie": AllergyStatement,
}


def _to_medical(person):
    return redirect("care:background_medical", person_id=person.public_id)


def _to_care(person):
    return redirect("care:background_care", person_id=person.public_id)


@login_required
@person_view(category=MEDICAL)
def medical(request, person_id):
    person = request.person
    return render_record(
        request,
        "care/background/medical.html",
        {
            **selectors.medical_background(person=person),
            "vaccinations": page_of(
                request,
                selectors.person_vaccinations(person=person),
                selectors.VACCINATIONS_PER_PAGE,
            ),
            "can_write": request.person_access.can_write(MEDICAL),
        },
        section=MEDICAL_SECTION,
    )


def _create_view(request, *, form, service, template, section, success, back):
    if request.method == "POST" and form.is_valid():
        try:
            entry = service(acting_user=request.user, person=request.person, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success % {"s": entry})
            return back(request.person)
    return render_record(
        request, template, {"form": form}, section=section, status=form_status(request)
    )


@login_required
@person_view(category=MEDICAL, write=True)
@idempotent
def history_create(request, person_id):
    return _create_view(
        request,
        form=MedicalHistoryForm(request.POST or None),
        service=services.medical_history_create,
        template="care/background/history_form.html",
        section=MEDICAL_SECTION,
        success=_("Antécédent enregistré : %(s)s."),
        back=_to_medical,
    )


@login_required
@person_view(category=MEDICAL, write=True)
@idempotent
def history_end(request, person_id, entry_id):
    entry = get_object_or_404(
        MedicalHistory, person=request.person, public_id=entry_id, entered_in_error=False
    )
    form = HistoryEndForm(request.POST or None, initial={"version": entry.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.medical_history_end(
                acting_user=request.user,
                entry=entry,
                ended_on=form.cleaned_data["ended_on"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("« %(s)s » est terminé.") % {"s": entry})
            return _to_medical(request.person)
    return render_record(
        request,
        "care/background/history_end.html",
        {"form": form, "entry": entry},
        section=MEDICAL_SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=MEDICAL, write=True)
@idempotent
def vaccination_create(request, person_id):
    return _create_view(
        request,
        form=VaccinationForm(request.POST or None),
        service=services.vaccination_create,
        template="care/background/vaccination_form.html",
        section=MEDICAL_SECTION,
        success=_("Vaccination enregistrée : %(s)s."),
        back=_to_medical,
    )


@login_required
@person_view(category=CARE)
def care(request, person_id):
    return render_record(
        request,
        "care/background/care.html",
        {
            **selectors.care_background(person=request.person),
            "can_write": request.person_access.can_write(CARE),
        },
        section=CARE_SECTION,
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def device_create(request, person_id):
    return _create_view(
        request,
        form=DeviceForm(request.POST or None),
        service=services.device_create,
        template="care/background/device_form.html",
        section=CARE_SECTION,
        success=_("Appareil enregistré : %(s)s."),
        back=_to_care,
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def device_remove(request, person_id, entry_id):
    device = get_object_or_404(
        PersonDevice, person=request.person, public_id=entry_id, entered_in_error=False
    )
    form = DeviceRemoveForm(request.POST or None, initial={"version": device.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.device_remove(
                acting_user=request.user,
                device=device,
                removed_on=form.cleaned_data["removed_on"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("« %(s)s » est retiré.") % {"s": device})
            return _to_care(request.person)
    return render_record(
        request,
        "care/background/device_remove.html",
        {"form": form, "device": device},
        section=CARE_SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def diet_record(request, person_id):
    current = selectors.current_diet(person=request.person)
    initial = {}
    if current:
        initial = {
            "food_level": current.food_level,
            "drink_level": current.drink_level,
            "diets": current.diets,
            "meal_help": current.meal_help,
        }
    return _create_view(
        request,
        form=DietPlanForm(request.POST or None, initial=initial),
        service=services.diet_plan_record,
        template="care/background/diet_form.html",
        section=CARE_SECTION,
        success=_("Régime et texture enregistrés : %(s)s."),
        back=_to_care,
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def directive_record(request, person_id):
    # Copies the user may link: this person's current documents the user may read.
    documents = list(
        Document.objects.filter(person=request.person)
        .readable_with(request.person_access)
        .current()
        .order_by("-document_date")[:DOCUMENT_CHOICES_BOUND]
    )
    return _create_view(
        request,
        form=AdvanceDirectiveForm(request.POST or None, documents=documents),
        service=services.advance_directive_record,
        template="care/background/directive_form.html",
        section=CARE_SECTION,
        success=_("Directives anticipées : %(s)s."),
        back=_to_care,
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def statement_record(request, person_id):
    """« Aucune allergie connue », from the allergies page (a confirmation, then one tap)."""
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.allergy_statement_record(acting_user=request.user, person=request.person)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("« Aucune allergie connue » est enregistré."))
            return redirect("care:allergies", person_id=request.person.public_id)
    return render_record(
        request,
        "care/background/statement_form.html",
        {"form": form},
        section=CARE_SECTION,
        status=form_status(request),
    )


def _entry_category(request, kind, entry_id):
    model = ENTRY_KINDS.get(kind)
    if model is None:
        raise Http404(_("Type de saisie inconnu."))
    return services.CATEGORY[model]


@login_required
@person_view_by(_entry_category, write=True)
@idempotent
def entry_error(request, person_id, kind, entry_id):
    model = ENTRY_KINDS[kind]
    entry = get_object_or_404(model, person=request.person, public_id=entry_id)
    back = _to_medical if services.CATEGORY[model] == MEDICAL else _to_care
    if model is AllergyStatement:

        def back(person):
            return redirect("care:allergies", person_id=person.public_id)

    if entry.entered_in_error:
        messages.info(request, _("Cette saisie est déjà marquée comme saisie par erreur."))
        return back(request.person)
    form = EnteredInErrorForm(request.POST or None, initial={"version": entry.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.background_mark_entered_in_error(
                acting_user=request.user,
                entry=entry,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("« %(s)s » est marqué comme saisie par erreur.") % {"s": entry}
            )
            return back(request.person)
    return render_record(
        request,
        "care/background/entry_error.html",
        {"form": form, "entry": entry, "back_url": back(request.person).url},
        section=MEDICAL_SECTION if services.CATEGORY[model] == MEDICAL else CARE_SECTION,
        status=form_status(request),
    )
