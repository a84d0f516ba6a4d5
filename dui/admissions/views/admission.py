"""The admission page (step 3): the person of an accepted application enters on a free place
of a unit, on a day (a later day makes a planned stay), with the planned end of a temporary
stay; the page shows the places of the unit and who holds them that day."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from dui.core import dates
from dui.core.agreement import agree
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent
from dui.organisation.models import PlaceKind
from dui.people.record_page import render_record
from dui.stays.selectors import occupancy

from ..forms.admission import AdmissionForm
from ..pipeline import ADMISSIBLE_STATUSES
from ..selectors import orientation_check
from ..services.admission import stay_admit
from .common import application_view, day_from


def _chosen_unit(units, public_id):
    """The unit asked for (by public id), else the first one."""
    return next(
        (u for u in units if str(u.public_id) == str(public_id)), units[0] if units else None
    )


@login_required
@application_view(write=True)
@idempotent
def admit(request, application_id):
    application = request.application
    establishment = application.establishment
    today = dates.today(establishment)
    temporary = application.place_kind == PlaceKind.TEMPORARY
    if request.method == "POST":
        day = day_from(request.POST.get("started_on"), today)
        check = orientation_check(application, day)
        form = AdmissionForm(
            request.POST,
            establishment=establishment,
            temporary=temporary,
            ask_orientation=check.blocking,
        )
        unit_id = request.POST.get("unit")
    else:
        default_day = max(application.wished_start or today, application.received_on)
        day = day_from(request.GET.get("date"), default_day)
        check = orientation_check(application, day)
        unit_id = request.GET.get("unit")
        form = AdmissionForm(
            establishment=establishment,
            temporary=temporary,
            ask_orientation=check.blocking,
            initial={
                "started_on": day,
                "planned_end": application.wished_end,
                "version": application.version,
            },
        )
    units = list(form.fields["unit"].queryset)
    unit = _chosen_unit(units, unit_id)
    if unit is not None and not form.is_bound:
        form.initial["unit"] = unit.public_id
    admissible = application.status in ADMISSIBLE_STATUSES
    if request.method == "POST" and admissible and form.is_valid():
        data = form.cleaned_data
        try:
            stay = stay_admit(
                acting_user=request.user,
                application=application,
                unit=data["unit"],
                place=data["place"],
                started_on=data["started_on"],
                planned_end=data["planned_end"],
                referent=data["referent"],
                orientation_override_reason=data.get("orientation_override_reason", ""),
                expected_version=data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = _("%(person)s est %(admitted)s le %(day)s, place %(place)s.") % {
                "person": request.person.display_name,
                "admitted": agree(request.person, _("admis"), _("admise")),
                "day": f"{stay.started_on:%d/%m/%Y}",
                "place": stay.place.label,
            }
            if stay.planned_end:
                done += " " + _("Fin prévue le %(d)s.") % {"d": f"{stay.planned_end:%d/%m/%Y}"}
            messages.success(request, done)
            return redirect("admissions:welcome", person_id=request.person.public_id)
    board = (
        occupancy(user=request.user, establishment=establishment, day=day, unit=unit)
        if unit is not None
        else None
    )
    rows = board.units[0].rows if board and board.units else []
    open_ended = not temporary
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
        "admissions/admit.html",
        {
            "application": application,
            "admissible": admissible,
            "form": form,
            "unit": unit,
            "units": units,
            "day": day,
            "today": today,
            "choices": choices,
            "orientation_check": check,
            "selected_place": str(form["place"].value() or ""),
        },
        section="accueil",
        status=form_status(request),
    )
