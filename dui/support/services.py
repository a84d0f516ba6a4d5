"""Writes of the dated events (TDDUI « Évènement »): plan one, change it, cancel it with a
reason, record what happened (its report). Every write checks the access layer, locks the
version the form was read at, journals in the same transaction (DESIGN §4.3–4.6). The bricks
that hang details on an event (the care brick's `Appointment`) call these in their own
transaction: one use case, one transaction.

Allowed status changes are listed once, in `TRANSITIONS`."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import person_access
from dui.core import dates
from dui.stays.models import Stay

from .models import Event, EventCancelReason, EventKind, EventStatus

CARE = InformationCategory.CARE

# A new event may be entered a little after the fact (the appointment of yesterday written
# today), not weeks later: beyond this it is a typing error (issue 13, « bad input »).
PLANNED_PAST_LIMIT = timedelta(days=7)
# Nor years ahead: a year typed wrong.
PLANNED_FUTURE_LIMIT = timedelta(days=2 * 366)
# The report of an event is written once it has begun (a tablet's clock a little ahead).
REPORT_TOLERANCE = timedelta(minutes=15)

# Statut.statut: which status may follow which (TDDUI: Planifié, Validé, Réalisé, Annulé).
TRANSITIONS = {
    EventStatus.PLANNED: {EventStatus.VALIDATED, EventStatus.DONE, EventStatus.CANCELLED},
    EventStatus.VALIDATED: {EventStatus.PLANNED, EventStatus.DONE, EventStatus.CANCELLED},
    EventStatus.DONE: {EventStatus.DONE},  # the report may be corrected (new version)
    EventStatus.CANCELLED: set(),
}

EVENT_FIELDS = ("kind", "label", "starts_at", "ends_at", "place")
NOT_WRITTEN = _(
    "Votre profession ne peut pas planifier d'évènement pour cette personne, ou son "
    "accompagnement est terminé."
)
REASON_NOT_WRITTEN = _(
    "Votre profession ne peut pas écrire le motif ni le compte rendu de cet évènement."
)
STALE = _(
    "Cet évènement a été modifié par quelqu'un d'autre pendant votre saisie : rechargez la page."
)
CLOSED = _("Cet évènement est annulé : il ne peut plus être modifié.")


def stay_on(person, day, *, establishment_ids=None):
    """The person's stay under way on `day` (latest entry first), or None."""
    stays = Stay.objects.current(day).filter(person=person)
    if establishment_ids is not None:
        stays = stays.filter(establishment_id__in=list(establishment_ids))
    return stays.select_related("establishment", "unit").order_by("-started_on", "-pk").first()


def event_errors(person, data: dict, *, creating: bool, access=None) -> tuple[dict, object]:
    """The rules of an event's dates and stay, each answered next to its field:
    {field: message}, and the stay the event belongs to (None when there is none)."""
    errors: dict = {}
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if data.get("kind") not in EventKind.values:
        errors["kind"] = _("Choisissez un type d'évènement de la liste.")
    if not (data.get("label") or "").strip():
        errors["label"] = _("Indiquez le libellé de l'évènement.")
    if starts_at is None:
        errors["starts_at"] = _("Indiquez la date et l'heure de début.")
    if ends_at is None:
        errors["ends_at"] = _("Indiquez l'heure de fin.")
    stay = None
    if starts_at is not None:
        now = dates.now()
        if creating and starts_at < now - PLANNED_PAST_LIMIT:
            errors["starts_at"] = _(
                "Cette date est passée depuis plus de %(days)s jours : vérifiez l'année et le mois."
            ) % {"days": PLANNED_PAST_LIMIT.days}
        elif starts_at > now + PLANNED_FUTURE_LIMIT:
            errors["starts_at"] = _("Cette date est à plus de deux ans : vérifiez l'année.")
        if ends_at is not None and ends_at < starts_at:
            errors["ends_at"] = _("La fin de l'évènement précède son début.")
        if "starts_at" not in errors:
            establishment_ids = None
            if access is not None and access.acting_assignment is not None:
                establishment_ids = [access.acting_assignment.establishment_id]
            stay = stay_on(
                person, dates.date_of(starts_at), establishment_ids=establishment_ids
            ) or stay_on(person, dates.date_of(starts_at))
            if stay is None:
                errors["starts_at"] = _(
                    "Cette personne n'a pas de séjour en cours à cette date : l'évènement ne "
                    "peut pas être planifié."
                )
    return errors, stay


def _require_reason_right(access, category, data, person, event=None) -> None:
    if (data.get("reason") or data.get("report")) and not access.can_write(category):
        raise AccessDenied(REASON_NOT_WRITTEN, person=person, obj=event)


def build_event(*, acting_user, person, data: dict, category: str = CARE) -> tuple[Event, dict]:
    """An unsaved event from a form's data, and the errors of its rules ({} when none):
    callers that add details of their own (an appointment) report every error at once."""
    access = writes.require_write(acting_user, person, CARE, NOT_WRITTEN)
    _require_reason_right(access, category, data, person)
    errors, stay = event_errors(person, data, creating=True, access=access)
    event = Event(person=person, stay=stay, category=category, status=EventStatus.PLANNED)
    writes.assign(event, data, EVENT_FIELDS)
    if access.can_write(category):
        writes.assign(event, data, ("reason",))
    event.status_changed_at = dates.now()
    event.status_changed_by = acting_user
    return event, errors


@transaction.atomic
def event_create(*, acting_user, person, data: dict, category: str = CARE) -> Event:
    """Plan an event of the person's stay under way at its date (status « prévu »)."""
    event, errors = build_event(
        acting_user=acting_user, person=person, data=data, category=category
    )
    if errors:
        raise ValidationError(errors)
    return writes.create(event, acting_user=acting_user, person=person)


def _lock_open(event, *, acting_user, expected_version) -> Event:
    event = writes.lock(event, expected_version=expected_version, stale_message=STALE)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(CLOSED, code="closed")
    return event


def _set_status(event, status, *, acting_user) -> None:
    if status != event.status and status not in TRANSITIONS[event.status]:
        raise ValidationError(
            _("Un évènement « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": event.get_status_display(), "to": EventStatus(status).label},
            code="transition",
        )
    if status != event.status:
        event.status = status
        event.status_changed_at = dates.now()
        event.status_changed_by = acting_user


def check_update(event, *, acting_user, data: dict, expected_version, errors=None) -> Event:
    """Lock the event and apply a change of its dates, place or label (and reason, for who
    writes its category); raises the errors of its rules with `errors` (the caller's own)."""
    person = event.person
    access = writes.require_write(acting_user, person, CARE, NOT_WRITTEN)
    _require_reason_right(access, event.category, data, person, event)
    event = _lock_open(event, acting_user=acting_user, expected_version=expected_version)
    found, stay = event_errors(person, {**_values(event), **data}, creating=False, access=access)
    found.update(errors or {})
    if found:
        raise ValidationError(found)
    writes.assign(event, data, EVENT_FIELDS)
    if access.can_write(event.category):
        writes.assign(event, data, ("reason",))
    event.stay = stay
    return event


def _values(event) -> dict:
    return {name: getattr(event, name) for name in EVENT_FIELDS}


@transaction.atomic
def event_update(*, acting_user, event: Event, data: dict, expected_version, reason="") -> Event:
    """Change an event that is not cancelled: a new version, the previous one in the
    history (DESIGN §4.4)."""
    event = check_update(
        event, acting_user=acting_user, data=data, expected_version=expected_version
    )
    writes.save(event, acting_user=acting_user, reason=reason or _("Évènement modifié"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=event.person, obj=event)
    return event


@transaction.atomic
def event_cancel(
    *, acting_user, event: Event, cancel_reason: str, cancel_reason_text: str = "", expected_version
) -> Event:
    """Cancel an event with its reason (TDDUI Statut.motifNonRealisation): it stays in the
    agenda's history, struck through."""
    person = event.person
    writes.require_write(acting_user, person, CARE, NOT_WRITTEN)
    event = _lock_open(event, acting_user=acting_user, expected_version=expected_version)
    if cancel_reason not in EventCancelReason.values:
        raise ValidationError({"cancel_reason": _("Choisissez le motif de l'annulation.")})
    text = (cancel_reason_text or "").strip()
    if cancel_reason == EventCancelReason.OTHER and not text:
        raise ValidationError(
            {"cancel_reason_text": _("Précisez le motif de l'annulation (« autre motif »).")}
        )
    _set_status(event, EventStatus.CANCELLED, acting_user=acting_user)
    event.cancel_reason = cancel_reason
    event.cancel_reason_text = text
    writes.save(
        event,
        acting_user=acting_user,
        reason=_("Annulé : %(r)s") % {"r": EventCancelReason(cancel_reason).label},
    )
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=event)
    return event


def check_outcome(event, *, acting_user, expected_version) -> Event:
    """Lock an event whose report is being written: begun, not cancelled, and the user
    writes its category."""
    person = event.person
    access = person_access(user=acting_user, person=person)
    if not (access.can_write(CARE) and access.can_write(event.category)):
        raise AccessDenied(REASON_NOT_WRITTEN, person=person, obj=event)
    event = _lock_open(event, acting_user=acting_user, expected_version=expected_version)
    if event.starts_at > dates.now() + REPORT_TOLERANCE:
        raise ValidationError(
            {"report": _("Cet évènement n'a pas encore eu lieu : son compte rendu attendra.")}
        )
    return event


@transaction.atomic
def event_record_outcome(*, acting_user, event: Event, report: str, expected_version) -> Event:
    """« Réalisé », with its report (TDDUI compteRenduEvenement)."""
    event = check_outcome(event, acting_user=acting_user, expected_version=expected_version)
    apply_outcome(event, report=report, acting_user=acting_user)
    writes.save(event, acting_user=acting_user, reason=_("Compte rendu"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=event.person, obj=event)
    return event


def apply_outcome(event, *, report: str, acting_user) -> None:
    _set_status(event, EventStatus.DONE, acting_user=acting_user)
    event.report = (report or "").strip()


@transaction.atomic
def event_mark_entered_in_error(*, acting_user, event: Event, reason: str, expected_version):
    """An event entered by mistake (wrong person, duplicate): it stays, with its history,
    marked « saisi par erreur » with the reason, and leaves the agenda (DESIGN §4.4)."""
    person = event.person
    writes.require_write(acting_user, person, CARE, NOT_WRITTEN)
    event = writes.lock(event, expected_version=expected_version, stale_message=STALE)
    reason = writes.required_reason(reason, _("Indiquez pourquoi cet évènement est une erreur."))
    if event.entered_in_error:
        raise ValidationError(_("Cet évènement est déjà marqué comme saisi par erreur."))
    event.entered_in_error = True
    event.entered_in_error_reason = reason[:300]
    writes.save(
        event, acting_user=acting_user, reason=_("Saisi par erreur : %(r)s") % {"r": reason}
    )
    journal.record(user=acting_user, action=AccessAction.AMEND, person=person, obj=event)
    return event
