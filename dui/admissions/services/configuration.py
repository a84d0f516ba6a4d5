"""The establishment's own settings of the pathway (the wording of its letters, the rules of
its waiting list, its rules of admission): one row per establishment (and kind), created by the
first save. A form
read before the row existed says so with version 0."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.errors import AccessDenied
from dui.access.models import AccessAction

from ..models import AdmissionSettings
from ..permissions import is_director_of

SETTINGS_REFUSED = _("Les réglages des admissions sont fixés par la direction de l'établissement.")
STALE_SETTINGS = _(
    "Ces réglages ont été modifiés par quelqu'un d'autre pendant votre saisie : rechargez la page."
)


def locked_setting(model, *, lookup: dict, expected_version, stale_message: str):
    """The setting row locked at the version the form was read at, or a new (unsaved) row when
    the form was read before any existed (version 0). A row created by someone else meanwhile
    makes the form stale, never overwritten."""
    if expected_version is None or expected_version == "":
        raise ValidationError(writes.NO_VERSION, code="missing_version")
    current = model.objects.filter(**lookup).first()
    if current is not None:
        return writes.lock(current, expected_version=expected_version, stale_message=stale_message)
    if int(expected_version) != 0:
        raise ValidationError(stale_message, code="stale_version")
    return model(**lookup)


@transaction.atomic
def admission_settings_save(
    *,
    acting_user,
    establishment,
    visit_required: bool,
    mdph_name: str = "",
    mdph_address: str = "",
    expected_version,
) -> AdmissionSettings:
    """The director sets the establishment's rules of admission: whether the pre-admission
    visit is required before an acceptance, and the MDPH the establishment reports to. The
    form says which version it was read at (0: the category's defaults); journaled, history
    kept."""
    if not is_director_of(acting_user, establishment):
        raise AccessDenied(SETTINGS_REFUSED)
    settings = locked_setting(
        AdmissionSettings,
        lookup={"establishment": establishment},
        expected_version=expected_version,
        stale_message=STALE_SETTINGS,
    )
    settings.visit_required = bool(visit_required)
    settings.mdph_name = (mdph_name or "").strip()
    settings.mdph_address = (mdph_address or "").strip()
    writes.save(settings, acting_user=acting_user)
    journal.record(user=acting_user, action=AccessAction.CONFIGURE, obj=settings)
    return settings
