"""Writes of steps 1–2: inquiries and admission requests. One transaction per use case, the
acting user always given, the journal written in the same transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access import journal
from dui.access.models import AccessAction, InformationCategory, MembershipReason
from dui.access.policy import may_write_in, person_access
from dui.access.services import care_team_join

from .models import AdmissionEvent, AdmissionRequest, AdmissionStatus, Inquiry, InquiryStatus
from .pipeline import NOTE_REQUIRED, TRANSITIONS


def _may_write_in(user, establishment) -> bool:
    """The establishment's administrative files: applications, admissions, letters."""
    return may_write_in(user, establishment.pk, InformationCategory.ADMINISTRATIVE)


@transaction.atomic
def inquiry_create(*, acting_user, establishment, data: dict) -> Inquiry:
    """Log a first contact (step 1)."""
    if not _may_write_in(acting_user, establishment):
        raise PermissionDenied(_("Votre profession ne peut pas enregistrer de demande ici."))
    person = data.get("person")
    if person is not None and not person_access(user=acting_user, person=person).visible:
        raise PermissionDenied(_("Vous n'avez pas accès au dossier de cette personne."))
    inquiry = Inquiry(
        establishment=establishment, created_by=acting_user, updated_by=acting_user, **data
    )
    if inquiry.received_at and inquiry.received_at > timezone.now():
        raise ValidationError(
            {"received_at": _("La date de la demande ne peut être dans le futur.")}
        )
    inquiry._history_user = acting_user
    inquiry.full_clean()
    inquiry.save()
    if person is not None:
        journal.record(user=acting_user, action=AccessAction.CREATE, person=person, obj=inquiry)
    return inquiry


@transaction.atomic
def admission_request_create(
    *,
    acting_user,
    establishment,
    person,
    source: str,
    place_kind: str,
    received_on,
    wished_start=None,
    wished_end=None,
    inquiry: Inquiry | None = None,
    urgent: bool = False,
) -> AdmissionRequest:
    """Receive an application (step 2). The establishment's team gets access to the person's
    record for the time of the application (care-team membership, reason "application")."""
    if not _may_write_in(acting_user, establishment):
        raise PermissionDenied(_("Votre profession ne peut pas enregistrer de demande ici."))
    if received_on > timezone.localdate():
        raise ValidationError(
            {"received_on": _("La date de réception ne peut être dans le futur.")}
        )
    if inquiry is not None:
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if inquiry.status == InquiryStatus.CONVERTED:
            raise ValidationError(_("Cette demande de renseignement a déjà été transformée."))
    request = AdmissionRequest(
        establishment=establishment,
        person=person,
        inquiry=inquiry,
        source=source,
        place_kind=place_kind,
        received_on=received_on,
        wished_start=wished_start,
        wished_end=wished_end,
        urgent=urgent,
        status=AdmissionStatus.RECEIVED,
        status_changed_at=timezone.now(),
        created_by=acting_user,
        updated_by=acting_user,
    )
    request._history_user = acting_user
    request.full_clean()
    request.save()
    AdmissionEvent.objects.create(
        request=request, by=acting_user, to_status=AdmissionStatus.RECEIVED
    )
    if inquiry is not None:
        inquiry.status = InquiryStatus.CONVERTED
        inquiry.person = person
        inquiry._history_user = acting_user
        inquiry.save(update_fields=["status", "person", "updated_at"])
    care_team_join(
        acting_user=acting_user,
        person=person,
        establishment=establishment,
        reason=MembershipReason.APPLICATION,
        source=f"admissions.AdmissionRequest:{request.public_id}",
    )
    journal.record(user=acting_user, action=AccessAction.CREATE, person=person, obj=request)
    return request


@transaction.atomic
def admission_request_transition(
    *,
    acting_user,
    request: AdmissionRequest,
    to_status: str,
    note: str = "",
    expected_version: int | None = None,
) -> AdmissionRequest:
    """Move a request along the pipeline (pipeline.TRANSITIONS); anything else is refused."""
    request = AdmissionRequest.objects.select_for_update().get(pk=request.pk)
    if expected_version is not None and request.version != expected_version:
        raise ValidationError(
            _("Cette demande a été modifiée par quelqu'un d'autre : rechargez la page."),
            code="stale_version",
        )
    if not _may_write_in(acting_user, request.establishment):
        raise PermissionDenied(_("Votre profession ne peut pas faire avancer cette demande."))
    if to_status not in TRANSITIONS.get(request.status, ()):
        raise ValidationError(
            _("Une demande « %(from)s » ne peut pas passer à « %(to)s ».")
            % {
                "from": AdmissionStatus(request.status).label,
                "to": AdmissionStatus(to_status).label
                if to_status in AdmissionStatus.values
                else to_status,
            },
            code="illegal_transition",
        )
    note = (note or "").strip()
    if to_status in NOTE_REQUIRED and not note:
        raise ValidationError({"note": NOTE_REQUIRED[to_status]})
    previous = request.status
    request.status = to_status
    request.status_changed_at = timezone.now()
    request.version += 1
    request.updated_by = acting_user
    request._history_user = acting_user
    request._change_reason = note
    request.full_clean()
    request.save()
    AdmissionEvent.objects.create(
        request=request, by=acting_user, from_status=previous, to_status=to_status, note=note
    )
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=request.person, obj=request)
    return request
