"""Writes on stays. A stay is opened by the pathway (the admission of an application,
`dui.admissions.services.admission.stay_admit`); the stays brick owns its table and its rules:
one person per place and per day, the place of the unit, the unit of the establishment, the
team of the unit given access to the person."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.models import AccessAction, InformationCategory, MembershipReason
from dui.access.services import care_team_join
from dui.organisation.models import Place, PlaceKind

from .models import Stay

NOT_OPENED_HERE = _("Votre profession ne peut pas ouvrir de séjour dans cet établissement.")


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
def stay_open(
    *,
    acting_user,
    person,
    establishment,
    unit,
    place,
    kind: str,
    started_on,
    ended_on=None,
    referent=None,
    admission_request=None,
) -> Stay:
    """Open a stay of the person on a free place of a unit: the Stay row, the unit's team
    access to the record (care-team membership, reason "stay"), the journal line. `ended_on`:
    the planned exit (a temporary stay); `admission_request`: the application it comes from."""
    writes.require_write_in(
        acting_user,
        establishment,
        InformationCategory.ADMINISTRATIVE,
        NOT_OPENED_HERE,
        person=person,
    )
    if started_on is None:
        raise ValidationError({"started_on": _("Indiquez la date d'admission.")})
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
    if place.kind != kind:
        raise ValidationError(
            {
                "place": _(
                    "Cette place est une place « %(place_kind)s » ; la demande porte sur un "
                    "« %(wanted)s »."
                )
                % {"place_kind": place.get_kind_display(), "wanted": PlaceKind(kind).label}
            }
        )
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
        person=person,
        establishment=establishment,
        unit=unit,
        place=place,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        referent=referent,
        admission_request=admission_request,
    )
    writes.save(stay, acting_user=acting_user, created=True)
    care_team_join(
        acting_user=acting_user,
        person=person,
        establishment=establishment,
        unit=unit,
        reason=MembershipReason.STAY,
        source=f"stays.Stay:{stay.public_id}",
    )
    journal.record(user=acting_user, action=AccessAction.CREATE, person=person, obj=stay)
    return stay
