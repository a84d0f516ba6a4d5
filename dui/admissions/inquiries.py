"""Writes of step 1 beyond `services.inquiry_create`: close an inquiry, convert it into an
application in one action (creating the person's record when the inquiry named only a
prospect). One transaction per use case, the journal written in the same transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal
from dui.access.models import AccessAction
from dui.access.policy import person_access
from dui.people import services as people_services

from .models import Inquiry, InquiryStatus
from .services import _may_write_in, admission_request_create

DOCUMENT_CHOICES = (
    ("livret_accueil", _("Livret d'accueil")),
    ("tarifs", _("Tarifs")),
    ("dossier_admission", _("Dossier d'admission (Cerfa 14732)")),
    ("reglement_fonctionnement", _("Règlement de fonctionnement")),
)


def _locked_open_inquiry(acting_user, inquiry: Inquiry) -> Inquiry:
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if not _may_write_in(acting_user, inquiry.establishment):
        raise PermissionDenied(_("Votre profession ne peut pas traiter cette demande ici."))
    if inquiry.person_id and not person_access(user=acting_user, person=inquiry.person).visible:
        raise PermissionDenied(_("Vous n'avez pas accès au dossier de cette personne."))
    if inquiry.status == InquiryStatus.CONVERTED:
        raise ValidationError(_("Cette demande de renseignement a déjà été transformée."))
    if inquiry.status == InquiryStatus.CLOSED:
        raise ValidationError(_("Cette demande de renseignement est close."))
    return inquiry


@transaction.atomic
def inquiry_close(*, acting_user, inquiry: Inquiry, note: str) -> Inquiry:
    """Close an inquiry that will not become an application (the note says why)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Indiquez pourquoi la demande est close.")})
    inquiry = _locked_open_inquiry(acting_user, inquiry)
    inquiry.status = InquiryStatus.CLOSED
    inquiry.updated_by = acting_user
    inquiry._history_user = acting_user
    inquiry._change_reason = note
    inquiry.save(update_fields=["status", "updated_by", "updated_at"])
    if inquiry.person_id:
        journal.record(
            user=acting_user, action=AccessAction.UPDATE, person=inquiry.person, obj=inquiry
        )
    return inquiry


@transaction.atomic
def inquiry_convert(
    *,
    acting_user,
    inquiry: Inquiry,
    source: str,
    place_kind: str,
    received_on,
    wished_start=None,
    wished_end=None,
    duplicate_reason: str = "",
    identity: dict | None = None,
    urgent: bool = False,
):
    """Turn an open inquiry into an application, carrying what was entered (no double entry).

    Without a person, the record is opened from the prospect identity (completed by `identity`
    when the inquiry lacked a trait, the birth date being required then) through
    `people.services.person_create`, which stops with `ProbableDuplicates` unless a reason is
    given. Everything happens in this one transaction: a refusal leaves nothing behind."""
    inquiry = _locked_open_inquiry(acting_user, inquiry)
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
        for field in ("birth_name", "first_names", "birth_date", "sex"):
            setattr(inquiry, f"prospect_{field}", traits[field])
        inquiry.save(
            update_fields=[
                "prospect_birth_name",
                "prospect_first_names",
                "prospect_birth_date",
                "prospect_sex",
                "updated_at",
            ]
        )
    return admission_request_create(
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
    )
