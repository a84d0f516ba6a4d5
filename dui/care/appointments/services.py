"""Writes of external care: plan an appointment (its `Event` and its care details in one
transaction — one use case), change it (a new version), cancel it with a reason, record its
outcome (the report filed in the record through the documents brick, the follow-up).

Who does what (the establishment's access matrix, DESIGN §4.1): planning, changing and
cancelling need the care category (the nurse, the IDEC, the physicians; a carer reads); the
reason, the report and the follow-up are medical — written by who writes medical, read by who
reads it."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory
from dui.coordination.models import Partner
from dui.core import dates
from dui.documents.models import DocumentKind
from dui.documents.services import document_upload
from dui.support import services as events
from dui.support.models import EventKind

from .models import Accompaniment, Appointment, AppointmentKind, TransportBooking, TransportMode

CARE = InformationCategory.CARE
MEDICAL = InformationCategory.MEDICAL
APPOINTMENT_FIELDS = (
    "kind",
    "transport_mode",
    "transport_booking",
    "accompaniment",
    "companion",
    "documents_to_bring",
)
NOT_PLANNED = _(
    "Votre profession ne peut pas planifier de rendez-vous pour cette personne, ou son "
    "accompagnement est terminé."
)
OUTCOME_NOT_WRITTEN = _(
    "Le compte rendu d'un rendez-vous est une information médicale : votre profession ne peut "
    "pas l'enregistrer."
)
STALE = _(
    "Ce rendez-vous a été modifié par quelqu'un d'autre pendant votre saisie : rechargez la page."
)


def _partner(value, establishment):
    """The partner a form chose (its public id): a partner of the directory of the
    establishment's organisation (the directory is kept per organisation, `coordination`),
    still active. Returns (partner or None, error or "")."""
    if value in (None, ""):
        return None, ""
    try:
        public_id = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None, _("Choisissez un partenaire de l'annuaire.")
    partner = Partner.objects.filter(public_id=public_id).first()
    if partner is None or (
        establishment is not None and partner.organisation_id != establishment.organisation_id
    ):
        return None, _(
            "Ce partenaire n'est pas dans l'annuaire de l'établissement : choisissez-en un de la "
            "liste."
        )
    if not partner.is_active:
        return None, _("Ce partenaire n'est plus actif dans l'annuaire : choisissez-en un autre.")
    return partner, ""


def _appointment_errors(appointment: Appointment) -> dict:
    errors = {}
    if appointment.kind not in AppointmentKind.values:
        errors["kind"] = _("Choisissez un type de rendez-vous de la liste.")
    if appointment.transport_mode not in TransportMode.values:
        errors["transport_mode"] = _("Choisissez un mode de transport de la liste.")
    if appointment.transport_booking not in TransportBooking.values:
        errors["transport_booking"] = _("Dites qui réserve le transport.")
    elif (
        appointment.transport_mode == TransportMode.NONE
        and appointment.transport_booking != TransportBooking.NOT_NEEDED
    ):
        errors["transport_booking"] = _("Sans transport, il n'y a pas de réservation à faire.")
    if appointment.accompaniment not in Accompaniment.values:
        errors["accompaniment"] = _("Dites qui accompagne la personne.")
    elif appointment.accompaniment != Accompaniment.NONE and not appointment.companion:
        errors["companion"] = _("Indiquez qui accompagne la personne.")
    elif appointment.accompaniment == Accompaniment.NONE:
        appointment.companion = ""
    return errors


def _event_data(data: dict, partner, kind) -> dict:
    """The event's part of the form: a label and a place said for the user when left empty
    (« Consultation — Dr Martin, cardiologue », the partner's address)."""
    label = (data.get("label") or "").strip()
    if not label:
        kind_label = AppointmentKind(kind).label if kind in AppointmentKind.values else ""
        label = " — ".join(str(p) for p in (kind_label, partner.name if partner else "") if p)
    place = (data.get("place") or "").strip()
    if not place and partner is not None:
        place = partner.address
    values = {
        "kind": EventKind.EXTERNAL_CARE,
        "label": label[:150],
        "place": place[:200],
        "starts_at": data.get("starts_at"),
        "ends_at": data.get("ends_at"),
    }
    if "reason" in data:
        values["reason"] = data["reason"]
    return values


@transaction.atomic
def appointment_create(*, acting_user, person, data: dict) -> Appointment:
    """Plan an external appointment: its `Event` (kind « soins externes », medical reason) and
    its care details, in one transaction; every mistake of the form at once."""
    writes.require_write(acting_user, person, CARE, NOT_PLANNED)
    kind = data.get("kind")
    # The partner is checked against the establishment of the stay the event belongs to.
    partner, partner_error = _partner(data.get("partner"), None)
    event, errors = events.build_event(
        acting_user=acting_user,
        person=person,
        data=_event_data(data, partner, kind),
        category=MEDICAL,
    )
    if not partner_error and partner is not None and event.stay is not None:
        partner_error = _partner(partner.public_id, event.stay.establishment)[1]
    if partner_error:
        errors["partner"] = partner_error
    appointment = Appointment(partner=partner)
    writes.assign(appointment, data, APPOINTMENT_FIELDS)
    errors.update(_appointment_errors(appointment))
    if errors:
        raise ValidationError(errors)
    writes.create(event, acting_user=acting_user, person=person)
    appointment.event = event
    return writes.create(appointment, acting_user=acting_user, person=person)


@transaction.atomic
def appointment_update(
    *, acting_user, appointment: Appointment, data: dict, expected_version
) -> Appointment:
    """Change a planned appointment (date, partner, transport…): a new version of the event and
    of its details, the previous ones kept in the history. `expected_version` is the
    appointment's version the form was read at."""
    person = appointment.event.person
    writes.require_write(acting_user, person, CARE, NOT_PLANNED)
    appointment = writes.lock(appointment, expected_version=expected_version, stale_message=STALE)
    event = appointment.event
    partner, partner_error = _partner(data.get("partner"), event.stay.establishment)
    writes.assign(appointment, data, APPOINTMENT_FIELDS)
    appointment.partner = partner
    errors = _appointment_errors(appointment)
    if partner_error:
        errors["partner"] = partner_error
    event = events.check_update(
        event,
        acting_user=acting_user,
        data=_event_data(data, partner, appointment.kind),
        expected_version=event.version,
        errors=errors,
    )
    writes.save(event, acting_user=acting_user, reason=_("Rendez-vous modifié"))
    writes.save(appointment, acting_user=acting_user, reason=_("Rendez-vous modifié"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=appointment)
    return appointment


@transaction.atomic
def appointment_cancel(
    *,
    acting_user,
    appointment: Appointment,
    cancel_reason: str,
    cancel_reason_text="",
    expected_version,
) -> Appointment:
    """Cancel with a reason: the appointment stays listed, struck through, with the reason."""
    person = appointment.event.person
    writes.require_write(acting_user, person, CARE, NOT_PLANNED)
    appointment = writes.lock(appointment, expected_version=expected_version, stale_message=STALE)
    events.event_cancel(
        acting_user=acting_user,
        event=appointment.event,
        cancel_reason=cancel_reason,
        cancel_reason_text=cancel_reason_text,
        expected_version=appointment.event.version,
    )
    writes.save(appointment, acting_user=acting_user, reason=_("Rendez-vous annulé"))
    return appointment


@transaction.atomic
def appointment_record_outcome(
    *,
    acting_user,
    appointment: Appointment,
    report: str = "",
    follow_up: str = "",
    report_file=None,
    expected_version,
) -> Appointment:
    """After the appointment: « réalisé », the report received (a PDF or a photo filed in the
    record as « compte rendu médical », through the documents brick) and/or its gist, and what
    follows (next appointment, treatment to watch). Medical: who writes medical records it."""
    person = appointment.event.person
    access = writes.require_write(acting_user, person, CARE, NOT_PLANNED)
    if not access.can_write(MEDICAL):
        raise AccessDenied(OUTCOME_NOT_WRITTEN, person=person, obj=appointment)
    appointment = writes.lock(appointment, expected_version=expected_version, stale_message=STALE)
    event = events.check_outcome(
        appointment.event, acting_user=acting_user, expected_version=appointment.event.version
    )
    report = (report or "").strip()
    follow_up = (follow_up or "").strip()
    if not (report or follow_up or report_file or appointment.report_document_id):
        raise ValidationError({"report": _("Déposez le compte rendu ou écrivez-en l'essentiel.")})
    if report_file is not None:
        try:
            appointment.report_document = document_upload(
                acting_user=acting_user,
                person=person,
                kind=DocumentKind.MEDICAL_REPORT,
                title=_("Compte rendu — %(label)s") % {"label": event.label[:120]},
                document_date=min(dates.date_of(event.starts_at), dates.today()),
                category=MEDICAL,
                uploaded_file=report_file,
            )
        except ValidationError as error:
            # The document's own checks (file type, size…) next to the file field.
            raise ValidationError({"report_file": error.messages}) from error
    events.apply_outcome(event, report=report or event.report, acting_user=acting_user)
    appointment.follow_up = follow_up or appointment.follow_up
    writes.save(event, acting_user=acting_user, reason=_("Compte rendu du rendez-vous"))
    writes.save(appointment, acting_user=acting_user, reason=_("Compte rendu du rendez-vous"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=appointment)
    return appointment


@transaction.atomic
def appointment_mark_entered_in_error(
    *, acting_user, appointment: Appointment, reason: str, expected_version
) -> Appointment:
    """An appointment entered by mistake (wrong person, duplicate): it and its event stay,
    with their history, marked « saisi par erreur » with the reason (DESIGN §4.4)."""
    person = appointment.event.person
    writes.require_write(acting_user, person, CARE, NOT_PLANNED)
    appointment = writes.lock(appointment, expected_version=expected_version, stale_message=STALE)
    event = events.event_mark_entered_in_error(
        acting_user=acting_user,
        event=appointment.event,
        reason=reason,
        expected_version=appointment.event.version,
    )
    appointment.entered_in_error = True
    appointment.entered_in_error_reason = event.entered_in_error_reason
    writes.save(appointment, acting_user=acting_user, reason=_("Saisi par erreur"))
    return appointment
