"""Admission (issue 4, step 3) and occupancy pages."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dui.access.decorators import person_data_view, person_view
from dui.access.models import InformationCategory
from dui.access.policy import active_assignments
from dui.core.forms import add_service_errors
from dui.core.idempotency import idempotent
from dui.people.record import render_record

from . import services
from .forms import AdmissionForm
from .selectors import occupancy

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE


def _parse_day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def admit(request, request_id):
    """/sejours/admettre/<request_id>/: the person comes from the application; the page then
    goes through `person_view` (access check and journal) like any page of the record."""

    from dui.admissions.selectors import application_for

    application = application_for(request, request_id)
    return _admit(request, application.person.public_id, application=application)


@person_view(category=ADMINISTRATIVE)
@idempotent
def _admit_page(request, person_id, *, application):
    establishment = application.establishment
    if request.method == "POST":
        form = AdmissionForm(request.POST, establishment=establishment)
        unit_id = request.POST.get("unit")
        day = _parse_day(request.POST.get("started_on"), timezone.localdate())
    else:
        default_day = max(application.wished_start or timezone.localdate(), application.received_on)
        day = _parse_day(request.GET.get("date"), default_day)
        unit_id = request.GET.get("unit")
        form = AdmissionForm(
            establishment=establishment, initial={"started_on": day, "unit": unit_id}
        )
    units = list(form.fields["unit"].queryset)
    unit = next((u for u in units if str(u.pk) == str(unit_id)), units[0] if units else None)
    if unit is not None and not form.is_bound:
        form.initial["unit"] = unit.pk
    admissible = application.status in services.ADMISSIBLE_STATUSES
    if request.method == "POST" and admissible and form.is_valid():
        data = form.cleaned_data
        try:
            stay = services.stay_admit(
                acting_user=request.user,
                request=application,
                unit=data["unit"],
                place=data["place"],
                started_on=data["started_on"],
                referent=data["referent"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
        else:
            messages.success(
                request,
                _("%(person)s est admis(e) le %(day)s, place %(place)s.")
                % {
                    "person": request.person.display_name,
                    "day": f"{stay.started_on:%d/%m/%Y}",
                    "place": stay.place.label,
                },
            )
            return redirect("stays:welcome", person_id=request.person.public_id)
    board = (
        occupancy(user=request.user, establishment=establishment, day=day, unit=unit)
        if unit is not None
        else None
    )
    rows = board.units[0].rows if board and board.units else []
    open_ended = application.place_kind != "temporary"
    choices = [
        {
            "row": row,
            "selectable": row.on_day is None
            and row.place.kind == application.place_kind
            and not (open_ended and row.planned),
        }
        for row in rows
    ]
    return render_record(
        request,
        "stays/admit.html",
        {
            "application": application,
            "admissible": admissible,
            "form": form,
            "unit": unit,
            "units": units,
            "day": day,
            "choices": choices,
            "selected_place": str(form["place"].value() or ""),
        },
        section="accueil",
        status=400 if request.method == "POST" else 200,
    )


_admit = login_required(_admit_page)
admit = login_required(admit)
admit.access_checked = True


@login_required
@require_safe
@person_data_view
def occupancy_page(request):
    """Occupation of the establishment of the current assignment: per unit, the places, who
    holds them today and on a chosen date (names only for the persons the user may see)."""
    assignment = request.assignment
    if not assignment:
        raise PermissionDenied(_("Vous n'avez aucune affectation active."))
    today = timezone.localdate()
    day = _parse_day(request.GET.get("date"), today)
    if request.GET.get("date") and day == today and request.GET["date"] != today.isoformat():
        messages.error(request, _("Date invalide : l'occupation est affichée pour aujourd'hui."))
    board = occupancy(user=request.user, establishment=assignment.establishment, day=day)
    return render(
        request,
        "stays/occupancy.html",
        {"board": board, "day": day, "today": today, "is_today": day == today},
    )


def may_see_occupancy(request) -> bool:
    return bool(active_assignments(request.user))
