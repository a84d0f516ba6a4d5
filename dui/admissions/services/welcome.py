"""The welcome checklist of a stay (loi 2002-2; CASF L311-4: livret d'accueil, règlement de
fonctionnement, charte; L311-5-1: personne de confiance; projet personnalisé within six months
of the admission, CASF D312-… and ANESM recommendations): each item ticked once, with its
date and who did it; several at once, and undone with a reason (issue 12)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction, InformationCategory
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


@transaction.atomic
def welcome_items_tick(
    *, acting_user, stay, items, done_on: date | None = None, note: str = ""
) -> list[WelcomeChecklistItem]:
    """Tick several items in one go (one form, one submit: issue 12), all or none: one item
    refused (already ticked meanwhile, a date in the future) leaves nothing ticked."""
    if not items:
        raise ValidationError({"items": _("Cochez au moins une étape de l'accueil.")})
    return [
        welcome_item_tick(acting_user=acting_user, stay=stay, item=item, done_on=done_on, note=note)
        for item in dict.fromkeys(items)
    ]


@transaction.atomic
def welcome_item_untick(*, acting_user, entry: WelcomeChecklistItem, reason: str):
    """Undo a tick, with a reason: the row stays (who ticked it, when; who undid it, when,
    why — DESIGN §4.4, nothing is deleted) and the item is to do again."""
    stay = entry.stay
    if stay.establishment_id not in assigned_establishment_ids(acting_user):
        raise AccessDenied(OTHER_ESTABLISHMENT, person=stay.person)
    writes.require_write(acting_user, stay.person, InformationCategory.ADMINISTRATIVE, NOT_WRITTEN)
    reason = writes.required_reason(reason, _("Dites pourquoi cette étape est décochée."))
    entry = WelcomeChecklistItem.objects.select_for_update().get(pk=entry.pk)
    if entry.undone_on is not None:
        raise ValidationError(_("Cette étape est déjà décochée."))
    entry.undone_on = dates.today(stay.establishment)
    entry.undone_by = acting_user
    entry.undo_reason = reason
    writes.save(entry, acting_user=acting_user, reason=reason)
    journal.record(user=acting_user, action=AccessAction.AMEND, person=stay.person, obj=entry)
    return entry
