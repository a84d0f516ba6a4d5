"""Applications (step 2, pré-admettre): receive one, move it along the pipeline.

The pipeline's transitions are listed in `pipeline.TRANSITIONS` and applied here only: the
other use cases that move an application (visit, decision, admission, waiting rank) lock it at
the version their form was read at and call `apply_transition`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory, MembershipReason
from dui.access.services import care_team_join
from dui.core import dates

from ..models import (
    AdmissionEvent,
    AdmissionRequest,
    AdmissionStatus,
    InquiryStatus,
    RequesterKind,
)
from ..permissions import OTHER_ESTABLISHMENT, handles_application
from ..pipeline import DEDICATED_TARGETS, NOTE_REQUIRED, TRANSITIONS
from ..selectors import next_statuses

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
NOT_RECEIVED_HERE = _("Votre profession ne peut pas enregistrer de demande ici.")
NOT_MOVED_HERE = _("Votre profession ne peut pas faire avancer cette demande.")
STALE = _(
    "Cette demande a été modifiée par quelqu'un d'autre pendant votre saisie : rechargez la page."
)


def require_file_write(acting_user, application, message: str) -> None:
    """The application's file is written by the establishment it was made to (another
    establishment following the same person acts on its own applications only), by a
    profession writing the administrative part there."""
    if not handles_application(acting_user, application):
        raise AccessDenied(OTHER_ESTABLISHMENT, person=application.person, obj=application)
    writes.require_write_in(
        acting_user, application.establishment, ADMINISTRATIVE, message, person=application.person
    )


def lock_application(application, *, expected_version) -> AdmissionRequest:
    """The application as it is now, locked, at the version the form was read at."""
    return writes.lock(
        application,
        expected_version=expected_version,
        stale_message=STALE,
        related=("establishment", "person"),
    )


def lock_file(application) -> AdmissionRequest:
    """The application locked while an entry is added to its file (a piece, an opinion): the
    application itself does not change, so no version is checked; the lock orders the entries
    of two users and lets the status be read as it is."""
    return (
        AdmissionRequest.objects.select_for_update(of=("self",))
        .select_related("establishment", "person")
        .get(pk=application.pk)
    )


def require_open(application) -> None:
    if not TRANSITIONS[application.status]:
        raise ValidationError(
            _("Cette demande est close (« %(status)s ») : elle ne peut plus être modifiée.")
            % {"status": AdmissionStatus(application.status).label}
        )


def status_label(status: str) -> str:
    return str(AdmissionStatus(status).label) if status in AdmissionStatus.values else status


@transaction.atomic
def application_create(
    *,
    acting_user,
    establishment,
    person,
    source: str,
    place_kind: str,
    received_on,
    wished_start=None,
    wished_end=None,
    urgent: bool = False,
    inquiry=None,
    applicant: dict | None = None,
) -> AdmissionRequest:
    """Receive an application. The establishment's team gets access to the person's record for
    the time of the application (care-team membership, reason "application"). `inquiry`: the
    first contact it comes from, given by `inquiry_convert` (which locked it and marks it
    converted). `applicant`: who made it (APPLICANT_FIELDS; by default the person herself)."""
    writes.require_write_in(
        acting_user, establishment, ADMINISTRATIVE, NOT_RECEIVED_HERE, person=person
    )
    if received_on > dates.today(establishment):
        raise ValidationError(
            {"received_on": _("La date de réception ne peut être dans le futur.")}
        )
    if inquiry is not None and inquiry.status != InquiryStatus.OPEN:
        raise ValidationError(_("Cette demande de renseignement a déjà été transformée."))
    application = AdmissionRequest(
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
        status_changed_at=dates.now(),
    )
    writes.assign(application, applicant or {}, APPLICANT_FIELDS)
    writes.save(application, acting_user=acting_user, created=True)
    AdmissionEvent.objects.create(
        application=application, by=acting_user, to_status=AdmissionStatus.RECEIVED
    )
    care_team_join(
        acting_user=acting_user,
        person=person,
        establishment=establishment,
        reason=MembershipReason.APPLICATION,
        source=f"admissions.AdmissionRequest:{application.public_id}",
    )
    journal.record(user=acting_user, action=AccessAction.CREATE, person=person, obj=application)
    return application


APPLICANT_FIELDS = (
    "applicant_kind",
    "applicant_name",
    "applicant_organisation",
    "applicant_address",
    "applicant_postcode",
    "applicant_city",
)


@transaction.atomic
def application_applicant_set(
    *, acting_user, application: AdmissionRequest, data: dict, expected_version
) -> AdmissionRequest:
    """Say who made the application and where to write to them (the letters of the
    application are addressed to them by post)."""
    require_file_write(acting_user, application, NOT_MOVED_HERE)
    application = lock_application(application, expected_version=expected_version)
    require_open(application)
    if data.get("applicant_kind") not in RequesterKind.values:
        raise ValidationError({"applicant_kind": _("Indiquez qui a fait la demande.")})
    writes.assign(application, data, APPLICANT_FIELDS)
    if application.applicant_kind != RequesterKind.PERSON and not application.applicant_name:
        raise ValidationError(
            {"applicant_name": _("Indiquez le nom de la personne ou de l'organisme demandeur.")}
        )
    writes.save(application, acting_user=acting_user)
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=application.person, obj=application
    )
    return application


def apply_transition(
    *, acting_user, application: AdmissionRequest, to_status: str, note: str = ""
) -> AdmissionRequest:
    """Move an application the caller has locked at the version its user read, as
    `pipeline.TRANSITIONS` allows (with the establishment's rule on the pre-admission visit,
    `pipeline.allowed_next`): its status, its timeline event, its journal line."""
    if to_status not in next_statuses(application):
        raise ValidationError(
            _("Une demande « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": status_label(application.status), "to": status_label(to_status)},
            code="illegal_transition",
        )
    note = (note or "").strip()
    if to_status in NOTE_REQUIRED and not note:
        raise ValidationError({"note": NOTE_REQUIRED[to_status]})
    previous = application.status
    application.status = to_status
    application.status_changed_at = dates.now()
    writes.save(application, acting_user=acting_user, reason=note)
    AdmissionEvent.objects.create(
        application=application,
        by=acting_user,
        from_status=previous,
        to_status=to_status,
        note=note,
    )
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=application.person, obj=application
    )
    return application


@transaction.atomic
def application_transition(
    *, acting_user, application: AdmissionRequest, to_status: str, note: str = "", expected_version
) -> AdmissionRequest:
    """Move an application along the pipeline (pipeline.TRANSITIONS); anything else is
    refused."""
    writes.require_write_in(
        acting_user,
        application.establishment,
        ADMINISTRATIVE,
        NOT_MOVED_HERE,
        person=application.person,
    )
    application = lock_application(application, expected_version=expected_version)
    return apply_transition(
        acting_user=acting_user, application=application, to_status=to_status, note=note
    )


@transaction.atomic
def application_move(
    *, acting_user, application: AdmissionRequest, to_status: str, note: str = "", expected_version
) -> AdmissionRequest:
    """A plain move from the buttons of the application page. Moves that have their own use
    case (visit planned or done, the committee's decision, the admission) are refused here."""
    if to_status in DEDICATED_TARGETS:
        raise ValidationError(
            _("Ce passage se fait par son propre formulaire (visite, décision ou admission)."),
            code="dedicated_transition",
        )
    return application_transition(
        acting_user=acting_user,
        application=application,
        to_status=to_status,
        note=note,
        expected_version=expected_version,
    )
