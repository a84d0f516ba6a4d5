"""The establishment's care settings page (issue 13 item 6): shift start times, late-entry
window and alert thresholds, edited by the director or the médecin coordonnateur of the
establishment; history kept (simple-history on CareSettings), every change journaled."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction
from dui.accounts.models import AssignmentRole

from ..models import CareSettings
from ..shifts import care_settings

SETTINGS_FIELDS = (
    "morning_starts_at",
    "afternoon_starts_at",
    "night_starts_at",
    "late_entry_minutes",
    "fever_celsius",
    "hypothermia_celsius",
    "hypoglycaemia_g_per_l",
    "hyperglycaemia_g_per_l",
    "no_stools_days",
)
SETTERS = frozenset({"medecin_coordonnateur"})
NOT_ALLOWED = _(
    "Seuls la direction et le médecin coordonnateur de l'établissement règlent le dossier de soins."
)
STALE = _("Ces réglages ont été modifiés par quelqu'un d'autre pendant votre saisie : rechargez.")


def may_set_care_settings(user, establishment) -> bool:
    """The director of the establishment, or its médecin coordonnateur."""
    from dui.access.policy import active_assignments

    profession = getattr(getattr(user, "profession", None), "code", "")
    for assignment in active_assignments(user):
        if assignment.establishment_id != establishment.pk:
            continue
        if assignment.role == AssignmentRole.DIRECTOR or profession in SETTERS:
            return True
    return False


@transaction.atomic
def care_settings_update(*, acting_user, establishment, data: dict, expected_version):
    if not may_set_care_settings(acting_user, establishment):
        raise AccessDenied(NOT_ALLOWED)
    current = care_settings(establishment)
    if current.pk is None:
        if int(expected_version) != 0:
            raise ValidationError(STALE)
        settings = CareSettings(establishment=establishment)
    else:
        settings = writes.lock(current, expected_version=expected_version, stale_message=STALE)
    writes.assign(settings, data, SETTINGS_FIELDS)
    writes.save(settings, acting_user=acting_user, reason=_("Réglages du dossier de soins"))
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=settings)
    return settings
