"""The welcome checklist of a stay (loi 2002-2; CASF L311-4: livret d'accueil, règlement de
fonctionnement, charte; L311-5-1: personne de confiance; projet personnalisé within six months
of the admission, CASF D312-… and ANESM recommendations): each item ticked once, with its
date and who did it."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dui.access import journal
from dui.access.models import AccessAction, InformationCategory
from dui.access.policy import assigned_establishment_ids, person_access

from .models import WelcomeChecklistItem, WelcomeItem

PERSONAL_PLAN_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """Same day `months` later (the last day of the month when it has fewer days)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def personal_plan_due(stay) -> date:
    """The projet personnalisé is written within six months of the admission."""
    return add_months(stay.started_on, PERSONAL_PLAN_MONTHS)


@dataclass(frozen=True)
class ChecklistLine:
    item: str
    label: str
    done: WelcomeChecklistItem | None


def welcome_checklist(*, stay) -> list[ChecklistLine]:
    """Every item of the checklist, done or pending (one query)."""
    done = {
        i.item: i for i in WelcomeChecklistItem.objects.filter(stay=stay).select_related("done_by")
    }
    return [ChecklistLine(value, label, done.get(value)) for value, label in WelcomeItem.choices]


@transaction.atomic
def welcome_item_tick(
    *, acting_user, stay, item: str, done_on: date | None = None, note: str = ""
) -> WelcomeChecklistItem:
    """Tick one item of the welcome checklist, once, by the establishment of the stay."""
    if stay.establishment_id not in assigned_establishment_ids(acting_user):
        raise PermissionDenied(_("Ce séjour est suivi par un autre établissement."))
    if not person_access(user=acting_user, person=stay.person).can_write(
        InformationCategory.ADMINISTRATIVE
    ):
        raise PermissionDenied(_("Vous ne pouvez pas compléter l'accueil de cette personne."))
    if item not in WelcomeItem.values:
        raise ValidationError({"item": _("Étape de l'accueil inconnue.")})
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("La date ne peut être dans le futur.")})
    entry = WelcomeChecklistItem(
        stay=stay,
        item=item,
        done_on=done_on,
        done_by=acting_user,
        note=(note or "").strip(),
        created_by=acting_user,
        updated_by=acting_user,
    )
    entry._history_user = acting_user
    entry.full_clean()
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        # Two ticks at once: the other one won.
        raise ValidationError(_("Cette étape de l'accueil est déjà cochée.")) from error
    journal.record(user=acting_user, action=AccessAction.CREATE, person=stay.person, obj=entry)
    return entry
