"""Writes on stays. The admission brick adds admission, transfer and discharge here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Stay

# --- Admission (issue 4, step 3) --------------------------------------------------------------

# A request may be admitted once accepted by the committee, directly or from the waiting list.
ADMISSIBLE_STATUSES = ("accepted", "waiting_list")


def overlapping_stays(*, place, started_on, ended_on=None, exclude_pk=None):
    """Stays on `place` sharing at least one day with [started_on, ended_on): a stay occupies
    its place from its entry day until the day before its exit day (the exit day is free for
    the next person); an open-ended stay occupies every day from its entry on, a planned
    future stay counts as well."""
    stays = Stay.objects.filter(place=place).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=started_on)
    )
    if ended_on is not None:
        stays = stays.filter(started_on__lt=ended_on)
    if exclude_pk is not None:
        stays = stays.exclude(pk=exclude_pk)
    return stays


def _occupied_message(place, other: Stay) -> str:
    until = (
        _("au %(d)s") % {"d": f"{other.ended_on:%d/%m/%Y}"}
        if other.ended_on
        else _("sans date de sortie")
    )
    return _("La place %(place)s est occupée du %(start)s %(until)s par une autre personne.") % {
        "place": place.label,
        "start": f"{other.started_on:%d/%m/%Y}",
        "until": until,
    }


@transaction.atomic
def stay_admit(
    *, acting_user, request, unit, place, started_on, referent=None, ended_on=None
) -> Stay:
    """Admit the person of an accepted application (or of the waiting list) on a free place:
    create the Stay, open the unit's team access, move the request to « admise » — one
    transaction. `ended_on` is the planned exit of a temporary stay (by default the wished
    exit of the application)."""
    from dui.access import journal
    from dui.access.models import AccessAction, MembershipReason
    from dui.access.services import care_team_join
    from dui.admissions.models import AdmissionRequest, AdmissionStatus
    from dui.admissions.services import _may_write_in, admission_request_transition
    from dui.organisation.models import Place

    request = (
        AdmissionRequest.objects.select_for_update()
        .select_related("establishment", "person")
        .get(pk=request.pk)
    )
    establishment = request.establishment
    if not _may_write_in(acting_user, establishment):
        raise PermissionDenied(_("Votre profession ne peut pas prononcer d'admission ici."))
    if request.status not in ADMISSIBLE_STATUSES:
        raise ValidationError(
            _(
                "Seule une demande acceptée ou sur liste d'attente peut donner lieu à une "
                "admission : cette demande est « %(status)s »."
            )
            % {"status": AdmissionStatus(request.status).label},
            code="not_admissible",
        )
    if started_on is None:
        raise ValidationError({"started_on": _("Indiquez la date d'admission.")})
    if started_on < request.received_on:
        raise ValidationError(
            {"started_on": _("La date d'admission ne peut précéder la réception de la demande.")}
        )
    if unit is None or unit.establishment_id != establishment.pk:
        raise ValidationError(
            {"unit": _("Cette unité n'appartient pas à l'établissement de la demande.")}
        )
    if place is None:
        raise ValidationError({"place": _("Choisissez une place.")})
    # Lock the place: two admissions on the same place at once are made one after the other,
    # the second one sees the first stay and is refused.
    place = Place.objects.select_for_update().get(pk=place.pk)
    if place.unit_id != unit.pk:
        raise ValidationError({"place": _("Cette place n'appartient pas à l'unité choisie.")})
    if not place.is_active:
        raise ValidationError({"place": _("Cette place n'est pas en service.")})
    if place.kind != request.place_kind:
        raise ValidationError(
            {
                "place": _(
                    "Cette place est une place « %(place_kind)s » ; la demande porte sur un "
                    "« %(wanted)s »."
                )
                % {
                    "place_kind": place.get_kind_display(),
                    "wanted": request.get_place_kind_display(),
                }
            }
        )
    if ended_on is None and request.place_kind == "temporary":
        ended_on = request.wished_end
    if ended_on is not None and ended_on <= started_on:
        raise ValidationError({"ended_on": _("La sortie prévue doit suivre la date d'admission.")})
    if (
        referent is not None
        and not referent.assignments.active().filter(establishment=establishment).exists()
    ):
        raise ValidationError({"referent": _("Le référent doit être affecté à l'établissement.")})
    other = (
        overlapping_stays(place=place, started_on=started_on, ended_on=ended_on)
        .order_by("started_on")
        .first()
    )
    if other is not None:
        raise ValidationError({"place": _occupied_message(place, other)}, code="place_occupied")
    stay = Stay(
        person=request.person,
        establishment=establishment,
        unit=unit,
        place=place,
        kind=request.place_kind,
        started_on=started_on,
        ended_on=ended_on,
        referent=referent,
        admission_request=request,
        created_by=acting_user,
        updated_by=acting_user,
    )
    stay._history_user = acting_user
    stay.full_clean()
    stay.save()
    care_team_join(
        acting_user=acting_user,
        person=request.person,
        establishment=establishment,
        unit=unit,
        reason=MembershipReason.STAY,
        source=f"stays.Stay:{stay.public_id}",
    )
    admission_request_transition(
        acting_user=acting_user, request=request, to_status=AdmissionStatus.ADMITTED
    )
    journal.record(user=acting_user, action=AccessAction.CREATE, person=request.person, obj=stay)
    return stay
