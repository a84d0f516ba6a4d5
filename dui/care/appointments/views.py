"""Screens of external care: the record's « Rendez-vous » tab (upcoming and past), the forms
(plan, change, cancel with a reason, record the outcome with the report), and the unit's
agenda (every event of the unit's persons, today and the next 7 days by default). Thin views:
access → form → service → redirect."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from dui.access.decorators import person_data_view, person_view
from dui.access.models import InformationCategory
from dui.access.policy import user_rights_in
from dui.access.refusals import denied
from dui.coordination.selectors import partners_of
from dui.core import dates
from dui.core.forms import add_service_errors, form_status
from dui.core.idempotency import idempotent
from dui.core.pagination import page_of
from dui.documents.uploads import (
    DocumentSizeLimitHandler,
    body_announced_too_large,
    too_large_message,
)
from dui.organisation.models import Unit
from dui.people.record_page import render_record
from dui.support.services import REPORT_TOLERANCE

from . import selectors, services
from .forms import (
    AgendaForm,
    AppointmentEditForm,
    AppointmentForm,
    CancelForm,
    EnteredInErrorForm,
    OutcomeForm,
)
from .models import Appointment

CARE = InformationCategory.CARE
MEDICAL = InformationCategory.MEDICAL
SECTION = "rendez-vous"
UPCOMING_PER_PAGE = 20
PAST_PER_PAGE = 10
IN_ERROR_SHOWN = 20
AGENDA_PER_PAGE = 50
PARTNER_CHOICES_BOUND = 300
NO_ESTABLISHMENT = _("Choisissez d'abord l'établissement où vous travaillez (en haut de page).")
NO_AGENDA = _("Votre profession n'a pas accès aux soins des personnes de cet établissement.")


def _to_list(person):
    return redirect("care:appointments_list", person_id=person.public_id)


def _partners(request) -> list:
    """The active partners of the directory of the acting establishment's organisation."""
    assignment = request.person_access.acting_assignment
    if assignment is None:
        return []
    return list(
        partners_of(organisation_ids=[assignment.establishment.organisation_id], active_only=True)[
            :PARTNER_CHOICES_BOUND
        ]
    )


def _appointment(request, appointment_id) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related(
            "event", "event__stay__establishment", "partner", "report_document"
        ),
        event__person=request.person,
        public_id=appointment_id,
        event__entered_in_error=False,
    )


# -- the record's tab ------------------------------------------------------------------------


@login_required
@person_view(category=CARE)
def appointments(request, person_id):
    person = request.person
    access = request.person_access
    upcoming, past = selectors.split_upcoming(selectors.person_appointments(person=person))
    upcoming = page_of(request, upcoming, UPCOMING_PER_PAGE, parameter="a-venir")
    past = page_of(request, past, PAST_PER_PAGE)
    # The report is recorded once the appointment has begun.
    moment = dates.now() + REPORT_TOLERANCE
    for event in [*upcoming.object_list, *past.object_list]:
        event.started = event.starts_at <= moment
    return render_record(
        request,
        "care/appointments/list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "in_error": selectors.entered_in_error(person=person)[:IN_ERROR_SHOWN],
            "medical": access.can_read(MEDICAL),
            "can_write": access.can_write(CARE),
            "can_report": access.can_write(CARE) and access.can_write(MEDICAL),
        },
        section=SECTION,
    )


def _form_page(request, form, **context):
    return render_record(
        request,
        "care/appointments/form.html",
        {"form": form, **context},
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def appointment_create(request, person_id):
    person = request.person
    form = AppointmentForm(
        request.POST or None,
        partners=_partners(request),
        medical=request.person_access.can_write(MEDICAL),
    )
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_create(
                acting_user=request.user, person=person, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Rendez-vous enregistré : %(label)s, le %(when)s.")
                % {
                    "label": appointment.event.label,
                    "when": dates.date_of(appointment.event.starts_at).strftime("%d/%m/%Y"),
                },
            )
            return _to_list(person)
    return _form_page(request, form)


def _edit_initial(appointment) -> dict:
    event = appointment.event
    return {
        "kind": appointment.kind,
        "partner": appointment.partner.public_id.hex if appointment.partner_id else "",
        "label": event.label,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "place": event.place,
        "transport_mode": appointment.transport_mode,
        "transport_booking": appointment.transport_booking,
        "accompaniment": appointment.accompaniment,
        "companion": appointment.companion,
        "documents_to_bring": appointment.documents_to_bring,
        "reason": event.reason,
        "version": appointment.version,
    }


@login_required
@person_view(category=CARE, write=True)
@idempotent
def appointment_edit(request, person_id, appointment_id):
    person = request.person
    appointment = _appointment(request, appointment_id)
    if not appointment.event.is_open:
        messages.info(request, _("Ce rendez-vous est annulé ou réalisé : il ne se modifie plus."))
        return _to_list(person)
    partners = _partners(request)
    if appointment.partner_id and appointment.partner not in partners:
        partners = [appointment.partner, *partners]
    form = AppointmentEditForm(
        request.POST or None,
        initial=_edit_initial(appointment),
        partners=partners,
        medical=request.person_access.can_write(MEDICAL),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_update(
                acting_user=request.user,
                appointment=appointment,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Rendez-vous modifié : l'ancienne version reste dans l'historique.")
            )
            return _to_list(person)
    return _form_page(request, form, editing=appointment)


@login_required
@person_view(category=CARE, write=True)
@idempotent
def appointment_cancel(request, person_id, appointment_id):
    person = request.person
    appointment = _appointment(request, appointment_id)
    if not appointment.event.is_open:
        messages.info(request, _("Ce rendez-vous est déjà annulé ou réalisé."))
        return _to_list(person)
    form = CancelForm(request.POST or None, initial={"version": appointment.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_cancel(
                acting_user=request.user,
                appointment=appointment,
                cancel_reason=form.cleaned_data["cancel_reason"],
                cancel_reason_text=form.cleaned_data["cancel_reason_text"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rendez-vous annulé."))
            return _to_list(person)
    return render_record(
        request,
        "care/appointments/cancel.html",
        {"form": form, "appointment": appointment},
        section=SECTION,
        status=form_status(request),
    )


@login_required
@csrf_exempt  # checked by _outcome, once the size limit is in place (see below)
def appointment_outcome(request, person_id, appointment_id):
    """Record the outcome, with the report's file. As for the documents' upload
    (`dui.documents.views.document_upload`), the size limit is installed before anything reads
    the body, and the CSRF check reads it: hence csrf_exempt here and csrf_protect just below
    (Django docs, "Modifying upload handlers on the fly")."""
    limit = None
    if request.method == "POST":
        if body_announced_too_large(request):
            return HttpResponse(too_large_message(), status=413, content_type="text/plain")
        limit = DocumentSizeLimitHandler(request)
        request.upload_handlers.insert(0, limit)
    return _outcome(request, person_id, appointment_id, limit=limit)


appointment_outcome.access_checked = True  # person_view in _outcome


@csrf_protect
@person_view(category=MEDICAL, write=True)
@idempotent
def _outcome(request, person_id, appointment_id, *, limit):
    person = request.person
    appointment = _appointment(request, appointment_id)
    if appointment.event.status == "cancelled":
        messages.info(request, _("Ce rendez-vous est annulé : il n'a pas de compte rendu."))
        return _to_list(person)
    form = OutcomeForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "version": appointment.version,
            "report": appointment.event.report,
            "follow_up": appointment.follow_up,
        },
    )
    if limit is not None and limit.too_large:
        form.is_valid()
        form.add_error("report_file", too_large_message())
    elif request.method == "POST" and form.is_valid():
        try:
            services.appointment_record_outcome(
                acting_user=request.user,
                appointment=appointment,
                report=form.cleaned_data["report"],
                follow_up=form.cleaned_data["follow_up"],
                report_file=form.cleaned_data["report_file"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Compte rendu du rendez-vous enregistré."))
            return _to_list(person)
    return render_record(
        request,
        "care/appointments/outcome.html",
        {"form": form, "appointment": appointment},
        section=SECTION,
        status=form_status(request),
    )


@login_required
@person_view(category=CARE, write=True)
@idempotent
def appointment_error(request, person_id, appointment_id):
    person = request.person
    appointment = _appointment(request, appointment_id)
    form = EnteredInErrorForm(request.POST or None, initial={"version": appointment.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_mark_entered_in_error(
                acting_user=request.user,
                appointment=appointment,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le rendez-vous est marqué comme saisi par erreur."))
            return _to_list(person)
    return render_record(
        request,
        "care/appointments/error.html",
        {"form": form, "appointment": appointment},
        section=SECTION,
        status=form_status(request),
    )


# -- the unit's agenda -------------------------------------------------------------------------


def _agenda_scope(request):
    """(establishment, unit, units to choose from): the acting assignment's unit, or —
    assigned to the whole establishment — the unit chosen (« unite ») or all of them."""
    assignment = getattr(request, "assignment", None) or None
    if assignment is None:
        return None, None, []
    establishment = assignment.establishment
    if assignment.unit_id:
        return establishment, assignment.unit, []
    units = list(Unit.objects.filter(establishment=establishment).order_by("name"))
    chosen = request.GET.get("unite") or ""
    unit = next((u for u in units if u.public_id.hex == chosen or str(u.public_id) == chosen), None)
    return establishment, unit, units


@login_required
@person_data_view
def agenda(request):
    establishment, unit, units = _agenda_scope(request)
    if establishment is None:
        return denied(request, NO_ESTABLISHMENT)
    if not user_rights_in(request.user, establishment.pk)[CARE][0]:
        return denied(request, NO_AGENDA)
    form = AgendaForm(request.GET or None)
    start, days = dates.today(establishment), selectors.AGENDA_DEFAULT_DAYS
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["du"] or start
        days = form.cleaned_data["jours"] or days
    events = selectors.agenda(
        user=request.user, establishment=establishment, unit=unit, start=start, days=days
    )
    page = page_of(request, events, AGENDA_PER_PAGE)
    for event in page.object_list:
        event.day = dates.date_of(event.starts_at, establishment)
    query = {"du": start.isoformat(), "jours": days}
    if unit is not None and units:
        query["unite"] = unit.public_id.hex
    return render(
        request,
        "care/appointments/agenda.html",
        {
            "establishment": establishment,
            "unit": unit,
            "units": units,
            "form": form,
            "start": start,
            "end": start + timedelta(days=days - 1),
            "page": page,
            "querystring": urlencode(query),
            "today": dates.today(establishment),
        },
    )


def reads_agenda(request) -> bool:
    assignment = getattr(request, "assignment", None) or None
    if assignment is None:
        return False
    return user_rights_in(request.user, assignment.establishment_id)[CARE][0]
