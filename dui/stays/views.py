"""The occupancy page (the places of the establishment and who holds them) and the record's
« Présences et absences » tab."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dui.access.decorators import person_data_view, person_view
from dui.access.errors import AccessDenied
from dui.access.models import InformationCategory
from dui.access.policy import active_assignments
from dui.core import dates
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent
from dui.core.pagination import page_of
from dui.people.record_page import render_record

from . import services
from .forms import AbsenceForm, AttendanceErrorForm, AttendanceValidateForm
from .models import AttendanceKind
from .selectors import absences_on, attendance_of, attendances_of, occupancy, stay_covering

NO_ASSIGNMENT = _("Vous n'avez aucune affectation active.")


def _parse_day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


@login_required
@require_safe
@person_data_view
def occupancy_page(request):
    """Occupation of the establishment of the current assignment: per unit, the places, who
    holds them today and on a chosen date (names only for the persons the user may see)."""
    assignment = request.assignment
    if not assignment:
        raise AccessDenied(NO_ASSIGNMENT)
    establishment = assignment.establishment
    today = dates.today(establishment)
    day = _parse_day(request.GET.get("date"), today)
    if request.GET.get("date") and day == today and request.GET["date"] != today.isoformat():
        messages.error(request, _("Date invalide : l'occupation est affichée pour aujourd'hui."))
    board = occupancy(user=request.user, establishment=establishment, day=day)
    return render(
        request,
        "stays/occupancy.html",
        {"board": board, "day": day, "today": today, "is_today": day == today},
    )


def may_see_occupancy(request) -> bool:
    return bool(active_assignments(request.user))


# --- The record's « Présences et absences » tab ------------------------------------------------

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
SECTION = "presences"
PAGE_SIZE = 30


def _attendance_url(person):
    return redirect("stays:attendance", person_id=person.public_id)


def _attendance_or_404(request, attendance_id):
    attendance = attendance_of(person=request.person, user=request.user, public_id=attendance_id)
    if attendance is None:
        raise Http404(_("Présence ou absence introuvable."))
    return attendance


@login_required
@person_view(category=ADMINISTRATIVE)
def attendance_list(request, person_id):
    """The person's presences and absences in the user's establishments, newest first."""
    person = request.person
    today = dates.today()
    return render_record(
        request,
        "stays/attendance_list.html",
        {
            "page": page_of(request, attendances_of(person=person, user=request.user), PAGE_SIZE),
            "can_write": request.person_access.can_write(ADMINISTRATIVE),
            "today": today,
            "absent_today": absences_on(today).filter(person=person).first(),
        },
        section=SECTION,
    )


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def attendance_absence_new(request, person_id):
    """Record a planned absence (status « planifiée », validated once it has taken place)."""
    person = request.person
    form = AbsenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        stay = stay_covering(person=person, user=request.user, day=data["starts_on"])
        if stay is None:
            form.add_error(
                "starts_on",
                _("Aucun séjour de cette personne dans votre établissement ne couvre le %(d)s.")
                % {"d": f"{data['starts_on']:%d/%m/%Y}"},
            )
        else:
            try:
                absence = services.attendance_record(
                    acting_user=request.user,
                    stay=stay,
                    kind=AttendanceKind.ABSENT,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    absence_kind=data["absence_kind"],
                    reason=data["reason"],
                    planned_absence=data["planned_absence"],
                    billable=data["billable"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Absence enregistrée du %(start)s au %(end)s (%(kind)s).")
                    % {
                        "start": f"{absence.starts_on:%d/%m/%Y}",
                        "end": f"{absence.ends_on:%d/%m/%Y}",
                        "kind": absence.get_absence_kind_display().lower(),
                    },
                )
                return _attendance_url(person)
    return render_record(
        request,
        "stays/absence_form.html",
        {"form": form},
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def attendance_validate(request, person_id, attendance_id):
    """Confirm that a planned presence or absence took place (POST only)."""
    attendance = _attendance_or_404(request, attendance_id)
    if request.method != "POST":
        return _attendance_url(request.person)
    form = AttendanceValidateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return _attendance_url(request.person)
    try:
        services.attendance_validate(
            acting_user=request.user,
            attendance=attendance,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(what)s validée.") % {"what": str(attendance)})
    return _attendance_url(request.person)


@login_required
@person_view(category=ADMINISTRATIVE, write=True)
@idempotent
def attendance_error(request, person_id, attendance_id):
    attendance = _attendance_or_404(request, attendance_id)
    if attendance.entered_in_error:
        messages.info(request, _("Cette saisie est déjà marquée comme erronée."))
        return _attendance_url(request.person)
    form = AttendanceErrorForm(request.POST or None, initial={"version": attendance.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_mark_entered_in_error(
                acting_user=request.user,
                attendance=attendance,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("« %(what)s » est marquée comme saisie par erreur.") % {"what": attendance},
            )
            return _attendance_url(request.person)
    return render_record(
        request,
        "stays/attendance_error.html",
        {"form": form, "attendance": attendance},
        section=SECTION,
        status=form_status(request),
    )
