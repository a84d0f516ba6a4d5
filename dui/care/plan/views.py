"""The care plan tab of a person's record, the unit's daily task list per shift (tablet-first:
« Fait » in one tap, htmx swap of the row, a plain form without JavaScript) and the printable
plan of the day (PDF, mode dégradé)."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dui.access.decorators import object_view, person_data_view, person_view
from dui.access.errors import AccessDenied
from dui.access.models import InformationCategory
from dui.access.policy import user_rights_in
from dui.core import dates
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent
from dui.people.record_page import render_record

from .. import shifts
from . import selectors, services
from .forms import (
    CarePlanLineChangeForm,
    CarePlanLineForm,
    CarePlanLineStopForm,
    CareRecordAmendForm,
    CareRecordForm,
)
from .models import CareRecord, CareRecordOutcome, CareTask
from .pdf import html_to_pdf

CARE = InformationCategory.CARE
SECTION = "soins"
NO_ASSIGNMENT = _("Les soins du jour sont ceux d'une unité : vous n'êtes affecté(e) à aucune.")


# --- The record's « Plan de soins » tab --------------------------------------------------------


def _plan_url(person):
    return redirect("care:plan", person_id=person.public_id)


def _may_plan(request) -> bool:
    try:
        services.require_planner(request.user, request.person)
    except AccessDenied:
        return False
    return True


@login_required
@person_view(category=CARE)
def plan(request, person_id):
    return render_record(
        request,
        "care/plan/plan.html",
        {**selectors.person_plan(person=request.person), "can_plan": _may_plan(request)},
        section=SECTION,
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def plan_line_create(request, person_id):
    services.require_planner(request.user, request.person)
    form = CarePlanLineForm(
        request.POST or None, initial={"starts_on": dates.today(), "kind": "hygiene"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            line = services.care_plan_line_create(
                acting_user=request.user, person=request.person, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Soin ajouté au plan : %(s)s.") % {"s": line.label})
            return _plan_url(request.person)
    return render_record(
        request,
        "care/plan/line_form.html",
        {"form": form, "title": _("Ajouter un soin au plan")},
        section=SECTION,
        status=form_status(request),
    )


def _line_or_404(request, line_id):
    line = selectors.line_of(person=request.person, public_id=line_id)
    if line is None:
        raise Http404(_("Soin prévu introuvable."))
    return line


@login_required
@person_view(category=CARE, write=True)
@idempotent
def plan_line_change(request, person_id, line_id):
    services.require_planner(request.user, request.person)
    line = _line_or_404(request, line_id)
    form = CarePlanLineChangeForm(request.POST or None, initial=CarePlanLineForm.initial_of(line))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            new = services.care_plan_line_change(
                acting_user=request.user,
                line=line,
                data=data,
                expected_version=data.pop("version"),
                reason=data.pop("change_reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Soin modifié : %(s)s. Les soins déjà tracés ne changent pas.")
                % {"s": new.label},
            )
            return _plan_url(request.person)
    return render_record(
        request,
        "care/plan/line_form.html",
        {"form": form, "line": line, "title": _("Modifier un soin prévu")},
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def plan_line_stop(request, person_id, line_id):
    services.require_planner(request.user, request.person)
    line = _line_or_404(request, line_id)
    form = CarePlanLineStopForm(request.POST or None, initial={"version": line.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.care_plan_line_stop(
                acting_user=request.user,
                line=line,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Soin arrêté : %(s)s.") % {"s": line.label})
            return _plan_url(request.person)
    return render_record(
        request,
        "care/plan/line_stop.html",
        {"form": form, "line": line},
        section=SECTION,
        status=form_status(request),
    )


# --- The unit's task list per shift ----------------------------------------------------------


def _next_shift(shift, establishment, settings):
    index = shifts.ORDER.index(shift.code)
    if index < len(shifts.ORDER) - 1:
        return shifts.shift_of(shifts.ORDER[index + 1], shift.day, establishment, settings)
    return shifts.shift_of(shifts.MORNING, shift.day + timedelta(days=1), establishment, settings)


def _chosen_shift(request, establishment, settings):
    """The shift of `?jour=…&poste=…`, else the one under way."""
    code = request.GET.get("poste", "")
    try:
        day = date.fromisoformat(request.GET.get("jour", ""))
    except ValueError:
        day = None
    if code in shifts.ORDER and day is not None:
        return shifts.shift_of(code, day, establishment, settings)
    return shifts.shift_at(establishment, dates.now(), settings)


def _tasks_url(shift, mine: bool = False) -> str:
    query = {"jour": shift.day.isoformat(), "poste": shift.code}
    if mine:
        query["mes"] = "1"
    return f"{reverse('care:plan_tasks')}?{urlencode(query)}"


def _assignment(request):
    assignment = request.assignment
    if not assignment:
        raise AccessDenied(NO_ASSIGNMENT)
    return assignment


@login_required
@require_safe
@person_data_view
def tasks(request):
    """« Soins du jour »: the unit's tasks of a shift, grouped by person (room order)."""
    assignment = _assignment(request)
    establishment = assignment.establishment
    settings = shifts.care_settings(establishment)
    shift = _chosen_shift(request, establishment, settings)
    mine = request.GET.get("mes") == "1" and request.user.profession_id is not None
    listing = selectors.shift_tasks(
        user=request.user,
        assignment=assignment,
        shift=shift,
        profession=request.user.profession if mine else None,
    )
    previous = shifts.previous_shift(shift, establishment, settings)
    following = _next_shift(shift, establishment, settings)
    return render(
        request,
        "care/plan/tasks.html",
        {
            "listing": listing,
            "shift": shift,
            "mine": mine,
            "assignment": assignment,
            "previous_url": _tasks_url(previous, mine),
            "next_url": _tasks_url(following, mine),
            "previous": previous,
            "following": following,
            "mine_url": _tasks_url(shift, True),
            "all_url": _tasks_url(shift, False),
            "print_url": f"{reverse('care:plan_day_print')}?jour={shift.day.isoformat()}",
            "pdf_url": f"{reverse('care:plan_day_pdf')}?jour={shift.day.isoformat()}",
            "late_minutes": settings.late_entry_minutes,
            # One tap from a person's card to a measure or a note, and back here after.
            "can_write": user_rights_in(request.user, establishment.pk)[CARE][1],
            "back_query": urlencode({"next": request.get_full_path()}),
        },
    )


def _task_of(public_id):
    return (
        CareTask.objects.filter(public_id=public_id)
        .select_related("line__profession", "person", "unit", "establishment")
        .first()
    )


def _prepared(task: CareTask) -> CareTask:
    """The task as its row shows it (record, overdue)."""
    task.record_or_none = CareRecord.objects.select_related("created_by").filter(task=task).first()
    window = timedelta(minutes=shifts.care_settings(task.establishment).late_entry_minutes)
    now = dates.now()
    task.overdue = selectors.is_overdue(task, now=now, window=window)
    task.late_if_now = task.record_or_none is None and now - task.due_at > window
    return task


def _row(request, task, form=None, status=200, *, opened=False):
    """The row again; after a record, the list's counts too (htmx out-of-band swap);
    `opened`: the row with its « Autre… » form, asked for by a tap."""
    counts = None
    if form is None and not opened and request.assignment:
        shift = shifts.shift_at(task.establishment, task.due_at)
        to_do, overdue = selectors.shift_counts(
            user=request.user, assignment=request.assignment, shift=shift
        )
        counts = {"to_do": to_do, "overdue": overdue}
    return render(
        request,
        "care/plan/_task_row.html",
        {
            "task": _prepared(task),
            "form": form,
            "row_open": opened or form is not None,
            "counts": counts,
        },
        status=status,
    )


@login_required
@object_view(_task_of, url_kwarg="task_id", attribute="task", category=CARE, write=True)
@idempotent
def task_record(request, task_id):
    """Record the outcome of an occurrence: « Fait » (one tap) or « Autre… » (not done,
    refused, postponed). htmx swaps the row; without JavaScript the list is shown again."""
    task = request.task
    form = CareRecordForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.care_record_create(
                acting_user=request.user,
                task=task,
                outcome=data["outcome"],
                reason=data["reason"],
                postponed_to=form.postponed_moment(),
                late_reason=data["late_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                return _row(request, task)
            messages.success(
                request,
                _("%(task)s : %(outcome)s.")
                % {"task": task.line.label, "outcome": record.get_outcome_display()},
            )
            shift = shifts.shift_at(task.establishment, task.due_at)
            return redirect(_tasks_url(shift))
    if request.htmx and request.method == "POST":
        # The row again, open, with the French message next to its cause (htmx swaps 2xx only).
        return _row(request, task, form)
    if request.htmx:
        return _row(request, task, opened=True)
    return render(
        request,
        "care/plan/task_record.html",
        {"task": _prepared(task), "form": form},
        status=form_status(request),
    )


def _recorded_task_of(public_id):
    task = _task_of(public_id)
    if task is None or not CareRecord.objects.filter(task=task).exists():
        return None
    return task


@login_required
@object_view(_recorded_task_of, url_kwarg="task_id", attribute="task", category=CARE, write=True)
@idempotent
def record_amend(request, task_id):
    """Correct a record with a reason; the first version stays in the history."""
    task = request.task
    record = CareRecord.objects.select_related("created_by").get(task=task)
    form = CareRecordAmendForm(
        request.POST or None,
        initial={"version": record.version, "outcome": record.outcome, "reason": record.reason},
    )
    if record.outcome == CareRecordOutcome.POSTPONED:
        form = None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.care_record_amend(
                acting_user=request.user,
                record=record,
                data={"outcome": data["outcome"], "reason": data["reason"]},
                reason=data["amend_reason"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Traçabilité corrigée : %(s)s.") % {"s": task.line.label})
            return redirect(_tasks_url(shifts.shift_at(task.establishment, task.due_at)))
    return render_record(
        request,
        "care/plan/record_amend.html",
        {"task": task, "record": record, "form": form, "history": selectors.record_history(record)},
        section=SECTION,
        status=form_status(request),
    )


# --- The printable plan of the day (mode dégradé) ----------------------------------------------


def _day_context(request):
    assignment = _assignment(request)
    establishment = assignment.establishment
    try:
        day = date.fromisoformat(request.GET.get("jour", ""))
    except ValueError:
        day = dates.today(establishment)
    return {
        "day": day,
        "assignment": assignment,
        "plan": selectors.day_plan(user=request.user, assignment=assignment, day=day),
        "printed_at": dates.now(),
        "printed_by": request.user,
    }


@login_required
@require_safe
@person_data_view
def day_print(request):
    """The plan of the day as a page to print from the browser."""
    return render(request, "care/plan/day_print.html", _day_context(request))


@login_required
@require_safe
@person_data_view
def day_pdf(request):
    """The same plan as a PDF (WeasyPrint), to print before the network fails."""
    context = _day_context(request)
    html = render_to_string("care/plan/day_pdf.html", context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    name = f"plan-de-soins-{context['day']:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def may_see_tasks(request) -> bool:
    assignment = request.assignment
    if not assignment:
        return False
    return user_rights_in(request.user, assignment.establishment_id).get(CARE, (False, False))[0]
