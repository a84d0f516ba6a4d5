"""The admission (step 3, admettre): the person of an accepted application (or of the waiting
list) enters on a free place. The stays brick opens the stay (its own table: place lock,
overlap check, care-team access); this use case decides that the application may give rise
to it and moves the application to « admise », in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dui.organisation.models import PlaceKind
from dui.stays.models import Stay
from dui.stays.services import stay_open

from ..models import AdmissionStatus
from ..pipeline import ADMISSIBLE_STATUSES
from .applications import apply_transition, lock_application, require_file_write, status_label
from .evaluation import require_orientation_fit

NOT_ADMITTED_HERE = _("Votre profession ne peut pas prononcer d'admission ici.")


@transaction.atomic
def stay_admit(
    *,
    acting_user,
    application,
    unit,
    place,
    started_on,
    referent=None,
    planned_end=None,
    orientation_override_reason: str = "",
    expected_version,
) -> Stay:
    """Admit the person of an accepted application (or of the waiting list) on a free place:
    the stay, the unit's team access, the application « admise » — one transaction.
    `started_on` is the entry day: a later day makes a planned stay (it reserves the place and
    becomes current on that day). `planned_end` is the exit foreseen — required for a
    temporary stay, by default the wished exit of the application; it is never an exit: the
    stay stays current until the person actually leaves. In a disability establishment the
    entry day must rest on a fitting, valid CDAPH orientation (CASF L241-6) — the one checked at
    acceptance may have expired since — unless the director writes why not."""
    require_file_write(acting_user, application, NOT_ADMITTED_HERE)
    application = lock_application(application, expected_version=expected_version)
    if application.status not in ADMISSIBLE_STATUSES:
        raise ValidationError(
            _(
                "Seule une demande acceptée ou sur liste d'attente peut donner lieu à une "
                "admission : cette demande est « %(status)s »."
            )
            % {"status": status_label(application.status)},
            code="not_admissible",
        )
    if started_on is None:
        raise ValidationError({"started_on": _("Indiquez la date d'admission.")})
    if started_on < application.received_on:
        raise ValidationError(
            {"started_on": _("La date d'admission ne peut précéder la réception de la demande.")}
        )
    require_orientation_fit(
        acting_user=acting_user,
        application=application,
        on=started_on,
        override_reason=orientation_override_reason,
    )
    if planned_end is None and application.place_kind == PlaceKind.TEMPORARY:
        planned_end = application.wished_end
    stay = stay_open(
        acting_user=acting_user,
        person=application.person,
        establishment=application.establishment,
        unit=unit,
        place=place,
        kind=application.place_kind,
        started_on=started_on,
        planned_end=planned_end,
        referent=referent,
        admission_request=application,
    )
    apply_transition(
        acting_user=acting_user, application=application, to_status=AdmissionStatus.ADMITTED
    )
    return stay
