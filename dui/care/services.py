"""Writes of the care record. Here: allergies and intolerances.

An allergy is never deleted: a wrong entry is marked *entered in error* with a reason and stays
in the history (DESIGN §4.4)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.models import AccessAction, InformationCategory
from dui.core import dates

from .background import services as background
from .models import Allergy

CARE = InformationCategory.CARE
ALLERGY_FIELDS = ("substance", "kind", "reaction", "severity", "is_intolerance", "noted_on")
NOT_WRITTEN = _(
    "Votre profession ne peut pas modifier les soins de cette personne, "
    "ou l'accompagnement de cette personne est terminé."
)
STALE_ALLERGY = _(
    "Cette allergie a été modifiée par quelqu'un d'autre pendant votre saisie : rechargez la page."
)


@transaction.atomic
def allergy_create(*, acting_user, person, data: dict) -> Allergy:
    """Record an allergy or an intolerance; it shows at once in the header of every page."""
    writes.require_write(acting_user, person, CARE, NOT_WRITTEN)
    allergy = Allergy(person=person)
    writes.assign(allergy, data, ALLERGY_FIELDS)
    if allergy.noted_on and allergy.noted_on > dates.today():
        raise ValidationError({"noted_on": _("Cette date ne peut être dans le futur.")})
    allergy = writes.create(allergy, acting_user=acting_user, person=person)
    background.allergy_statement_end_for_allergy(acting_user=acting_user, person=person)
    return allergy


@transaction.atomic
def allergy_mark_entered_in_error(
    *, acting_user, allergy: Allergy, reason: str, expected_version
) -> Allergy:
    writes.require_write(acting_user, allergy.person, CARE, NOT_WRITTEN)
    allergy = writes.lock(allergy, expected_version=expected_version, stale_message=STALE_ALLERGY)
    reason = writes.required_reason(reason, _("Indiquez pourquoi cette saisie est une erreur."))
    if allergy.entered_in_error:
        raise ValidationError(_("Cette allergie est déjà marquée comme saisie par erreur."))
    allergy.entered_in_error = True
    allergy.entered_in_error_reason = reason
    writes.save(
        allergy,
        acting_user=acting_user,
        reason=_("Saisie par erreur : %(reason)s") % {"reason": reason},
    )
    journal.record(user=acting_user, action=AccessAction.AMEND, person=allergy.person, obj=allergy)
    return allergy
