"""The establishment's rules of admission (AdmissionSettings): whether the pre-admission visit
is required before an acceptance, and the MDPH it reports to. The director's page: no person's
data; anyone else is refused with a journaled reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dui.access.errors import AccessDenied
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent

from ..forms.applications import AdmissionSettingsForm
from ..permissions import is_director_of
from ..selectors import VISIT_OPTIONAL_BY_DEFAULT, admission_settings
from ..services.configuration import SETTINGS_REFUSED, admission_settings_save
from .common import current_establishment


@login_required
@idempotent
def admission_settings_page(request):
    establishment = current_establishment(request)
    if not is_director_of(request.user, establishment):
        raise AccessDenied(SETTINGS_REFUSED)
    current = admission_settings(establishment)
    form = AdmissionSettingsForm(
        request.POST or None,
        initial={
            "visit_required": current.visit_required,
            "mdph_name": current.mdph_name,
            "mdph_address": current.mdph_address,
            "version": current.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            admission_settings_save(
                acting_user=request.user,
                establishment=establishment,
                expected_version=form.cleaned_data["version"],
                **{
                    k: form.cleaned_data[k] for k in ("visit_required", "mdph_name", "mdph_address")
                },
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Réglages des admissions enregistrés."))
            return redirect("admissions:admission_settings")
    history = (
        current.history.select_related("history_user").order_by("-history_date")[:10]
        if current.pk
        else []
    )
    return render(
        request,
        "admissions/admission_settings.html",
        {
            "form": form,
            "establishment": establishment,
            "settings": current,
            "visit_optional_by_default": establishment.category in VISIT_OPTIONAL_BY_DEFAULT,
            "history": history,
        },
        status=form_status(request),
    )


# No person's data: the establishment's rules.
admission_settings_page.access_checked = True
