"""Writes of the care record. Here: allergies and intolerances.

An allergy is never deleted: a wrong entry is marked *entered in error* with a reason and stays
in the history (DESIGN §4.4)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access import journal
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import person_access

from .models import Allergy

CARE = InformationCategory.CARE
ALLERGY_FIELDS = ("substance", "kind", "reaction", "severity", "is_intolerance", "noted_on")


def _require_write(acting_user, person) -> None:
    if not person_access(user=acting_user, person=person).can_write(CARE):
        raise AccessDenied(
            _(
                "Votre profession ne peut pas modifier les soins de cette personne, "
                "ou l'accompagnement de cette personne est terminé."
            )
        )


@transaction.atomic
def allergy_create(*, acting_user, person, data: dict) -> Allergy:
    """Record an allergy or an intolerance; it shows at once in the header of every page."""
    _require_write(acting_user, person)
    fields = {
        k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in ALLERGY_FIELDS
    }
    allergy = Allergy(person=person, created_by=acting_user, updated_by=acting_user, **fields)
    if allergy.noted_on and allergy.noted_on > timezone.localdate():
        raise ValidationError({"noted_on": _("Cette date ne peut être dans le futur.")})
    allergy.full_clean()
    allergy.save()
    journal.record(user=acting_user, action=AccessAction.CREATE, person=person, obj=allergy)
    return allergy


@transaction.atomic
def allergy_mark_entered_in_error(*, acting_user, allergy: Allergy, reason: str) -> Allergy:
    _require_write(acting_user, allergy.person)
    allergy = Allergy.objects.select_for_update().get(pk=allergy.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez pourquoi cette saisie est une erreur.")})
    if allergy.entered_in_error:
        raise ValidationError(_("Cette allergie est déjà marquée comme saisie par erreur."))
    allergy.entered_in_error = True
    allergy.entered_in_error_reason = reason
    allergy.updated_by = acting_user
    allergy._change_reason = _("Saisie par erreur : %(reason)s") % {"reason": reason}
    allergy.full_clean()
    allergy.save()
    journal.record(user=acting_user, action=AccessAction.AMEND, person=allergy.person, obj=allergy)
    return allergy
