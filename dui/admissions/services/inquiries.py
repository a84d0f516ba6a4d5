"""Inquiries (step 1, renseigner): log a first contact, close it, or convert it into an
application in one action (opening the person's record when the inquiry named only a
prospect). Every write is journaled, with the person when there is one, the inquiry always
being the object of the line."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import person_access
from dui.core import dates
from dui.people import services as people_services

from ..models import Inquiry, InquiryStatus
from .applications import application_create

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
NOT_LOGGED_HERE = _("Votre profession ne peut pas enregistrer de demande ici.")
NOT_HANDLED_HERE = _("Votre profession ne peut pas traiter cette demande ici.")
NOT_FOLLOWED = _("Vous n'avez pas accès au dossier de cette personne.")
STALE = _(
    "Cette demande de renseignement a été modifiée par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page."
)
IDENTITY_TRAITS = ("birth_name", "first_names", "birth_date", "sex")


def _require_handler(acting_user, establishment, message, person=None) -> None:
    """Inquiries are the establishment's administrative files; one about a known person is
    handled only by someone who may open that person's record."""
    writes.require_write_in(acting_user, establishment, ADMINISTRATIVE, message, person=person)
    if person is not None and not person_access(user=acting_user, person=person).visible:
        raise AccessDenied(NOT_FOLLOWED, person=person)


def _lock_open(inquiry, expected_version) -> Inquiry:
    inquiry = writes.lock(inquiry, expected_version=expected_version, stale_message=STALE)
    if inquiry.status == InquiryStatus.CONVERTED:
        raise ValidationError(_("Cette demande de renseignement a déjà été transformée."))
    if inquiry.status == InquiryStatus.CLOSED:
        raise ValidationError(_("Cette demande de renseignement est close."))
    return inquiry


@transaction.atomic
def inquiry_create(*, acting_user, establishment, data: dict) -> Inquiry:
    """Log a first contact (step 1)."""
    _require_handler(acting_user, establishment, NOT_LOGGED_HERE, person=data.get("person"))
    inquiry = Inquiry(establishment=establishment, **data)
    if inquiry.received_at and inquiry.received_at > dates.now():
        raise ValidationError(
            {"received_at": _("La date de la demande ne peut être dans le futur.")}
        )
    return writes.create(inquiry, acting_user=acting_user, person=inquiry.person)


@transaction.atomic
def inquiry_close(*, acting_user, inquiry: Inquiry, note: str, expected_version) -> Inquiry:
    """Close an inquiry that will not become an application (the note says why)."""
    _require_handler(acting_user, inquiry.establishment, NOT_HANDLED_HERE, person=inquiry.person)
    note = writes.required_reason(note, _("Indiquez pourquoi la demande est close."), "note")
    inquiry = _lock_open(inquiry, expected_version)
    inquiry.status = InquiryStatus.CLOSED
    writes.save(inquiry, acting_user=acting_user, reason=note)
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=inquiry.person, obj=inquiry)
    return inquiry


@transaction.atomic
def inquiry_convert(
    *,
    acting_user,
    inquiry: Inquiry,
    expected_version,
    source: str,
    place_kind: str,
    received_on,
    wished_start=None,
    wished_end=None,
    duplicate_reason: str = "",
    identity: dict | None = None,
    urgent: bool = False,
    applicant_address: dict | None = None,
):
    """Turn an open inquiry into an application, carrying what was entered (no double entry).

    Without a person, the record is opened from the prospect identity (completed by `identity`
    when the inquiry lacked a trait, the birth date being required then) through
    `people.services.person_create`, which stops with `ProbableDuplicates` unless a reason is
    given. The inquiry's requester becomes the applicant, with the postal address given in
    `applicant_address` (applicant_address, applicant_postcode, applicant_city). Everything
    happens in this one transaction: a refusal leaves nothing behind."""
    _require_handler(acting_user, inquiry.establishment, NOT_HANDLED_HERE, person=inquiry.person)
    inquiry = _lock_open(inquiry, expected_version)
    person = inquiry.person
    if person is None:
        traits = {
            "birth_name": inquiry.prospect_birth_name,
            "first_names": inquiry.prospect_first_names,
            "birth_date": inquiry.prospect_birth_date,
            "sex": inquiry.prospect_sex or "I",
        }
        traits.update({k: v for k, v in (identity or {}).items() if v not in (None, "")})
        missing = {
            field: message
            for field, message in (
                ("birth_name", _("Le nom de naissance est obligatoire pour ouvrir le dossier.")),
                ("first_names", _("Les prénoms sont obligatoires pour ouvrir le dossier.")),
                ("birth_date", _("La date de naissance est obligatoire pour ouvrir le dossier.")),
            )
            if not traits.get(field)
        }
        if missing:
            raise ValidationError(missing)
        person = people_services.person_create(
            acting_user=acting_user,
            establishment=inquiry.establishment,
            data=traits,
            duplicate_reason=duplicate_reason,
        )
        for trait in IDENTITY_TRAITS:
            setattr(inquiry, f"prospect_{trait}", traits[trait])
    application = application_create(
        acting_user=acting_user,
        establishment=inquiry.establishment,
        person=person,
        source=source,
        place_kind=place_kind,
        received_on=received_on,
        wished_start=wished_start,
        wished_end=wished_end,
        inquiry=inquiry,
        urgent=urgent,
        applicant={
            "applicant_kind": inquiry.requester_kind,
            "applicant_name": inquiry.requester_name,
            "applicant_organisation": inquiry.requester_organisation,
            **(applicant_address or {}),
        },
    )
    inquiry.status = InquiryStatus.CONVERTED
    inquiry.person = person
    writes.save(inquiry, acting_user=acting_user, reason=_("Transformée en demande d'admission"))
    journal.record(user=acting_user, action=AccessAction.UPDATE, person=person, obj=inquiry)
    return application
