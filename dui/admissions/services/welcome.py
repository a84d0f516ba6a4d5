"""The welcome checklist of a stay (loi 2002-2; CASF L311-4: livret d'accueil, règlement de
fonctionnement, charte; L311-5-1: personne de confiance; projet personnalisé within six months
of the admission, CASF D312-… and ANESM recommendations): each item ticked once, with its
date and who did it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import writes
from dui.access.errors import AccessDenied
from dui.access.models import InformationCategory
from dui.access.policy import assigned_establishment_ids
from dui.core import dates

from ..models import WelcomeChecklistItem, WelcomeItem

OTHER_ESTABLISHMENT = _("Ce séjour est suivi par un autre établissement.")
NOT_WRITTEN = _("Vous ne pouvez pas compléter l'accueil de cette personne.")


@transaction.atomic
def welcome_item_tick(
    *, acting_user, stay, item: str, done_on: date | None = None, note: str = ""
) -> WelcomeChecklistItem:
    """Tick one item of the welcome checklist, once, by the establishment of the stay."""
    if stay.establishment_id not in assigned_establishment_ids(acting_user):
        raise AccessDenied(OTHER_ESTABLISHMENT, person=stay.person)
    writes.require_write(acting_user, stay.person, InformationCategory.ADMINISTRATIVE, NOT_WRITTEN)
    if item not in WelcomeItem.values:
        raise ValidationError({"item": _("Étape de l'accueil inconnue.")})
    today = dates.today(stay.establishment)
    done_on = done_on or today
    if done_on > today:
        raise ValidationError({"done_on": _("La date ne peut être dans le futur.")})
    entry = WelcomeChecklistItem(
        stay=stay, item=item, done_on=done_on, done_by=acting_user, note=(note or "").strip()
    )
    # Two ticks at once: the database rule `welcome_item_once` refuses the second one.
    return writes.create(entry, acting_user=acting_user, person=stay.person)
