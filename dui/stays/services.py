"""Writes on stays. A stay is opened by the pathway (the admission of an application,
`dui.admissions.services.admission.stay_admit`); the stays brick owns its table and its rules:
one person per place and per day, the place of the unit, the unit of the establishment, the
team of the unit given access to the person."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dui.access import journal, writes
from dui.access.models import AccessAction, InformationCategory, MembershipReason
from dui.access.services import care_team_join
from dui.core import dates
from dui.organisation.models import Place, PlaceKind

from .models import (
    ATTENDANCE_NO_OVERLAP,
    AbsenceKind,
    Attendance,
    AttendanceKind,
    AttendanceStatus,
    Stay,
)

NOT_OPENED_HERE = _("Votre profession ne peut pas ouvrir de séjour dans cet établissement.")


def overlapping_stays(*, place, started_on, planned_end=None, today, exclude_pk=None):
    """Stays holding `place` on at least one day of [started_on, planned_end) — the whole
    future when there is no planned end (`StayQuerySet.holding_place_during`: the exit day
    is free for the next person, a planned stay reserves its place from its entry, a planned
    end frees it for planning)."""
    stays = Stay.objects.filter(place=place).holding_place_during(
        started_on, planned_end, today=today
    )
    if exclude_pk is not None:
        stays = stays.exclude(pk=exclude_pk)
    return stays


def _occupied_message(place, other: Stay, *, today) -> str:
    release = other.release_day(today=today)
    until = _("au %(d)s") % {"d": f"{release:%d/%m/%Y}"} if release else _("sans date de sortie")
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
    planned_end=None,
    referent=None,
    admission_request=None,
) -> Stay:
    """Open a stay of the person on a free place of a unit: the Stay row, the unit's team
    access to the record (care-team membership, reason "stay"), the journal line.
    `started_on`: the entry day (a later day makes a planned stay, which reserves the place);
    `planned_end`: the exit foreseen, required for a temporary stay — never an actual exit
    (the person has not left: `ended_on` stays empty); `admission_request`: the application
    it comes from. The admission is pronounced today (`admitted_on`)."""
    writes.require_write_in(
        acting_user,
        establishment,
        InformationCategory.ADMINISTRATIVE,
        NOT_OPENED_HERE,
        person=person,
    )
    today = dates.today(establishment)
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
    if planned_end is None and kind == PlaceKind.TEMPORARY:
        # CASF D312-8 I: the accueil temporaire is « organisé pour une durée limitée » — its
        # end is known when it begins, and it is what frees the place for the next person.
        raise ValidationError(
            {"planned_end": _("Indiquez la fin prévue de l'hébergement temporaire.")}
        )
    if planned_end is not None and planned_end <= started_on:
        raise ValidationError({"planned_end": _("La fin prévue doit suivre la date d'entrée.")})
    if (
        referent is not None
        and not referent.assignments.active().filter(establishment=establishment).exists()
    ):
        raise ValidationError({"referent": _("Le référent doit être affecté à l'établissement.")})
    other = (
        overlapping_stays(place=place, started_on=started_on, planned_end=planned_end, today=today)
        .order_by("started_on")
        .first()
    )
    if other is not None:
        raise ValidationError(
            {"place": _occupied_message(place, other, today=today)}, code="place_occupied"
        )
    stay = Stay(
        person=person,
        establishment=establishment,
        unit=unit,
        place=place,
        kind=kind,
        started_on=started_on,
        planned_end=planned_end,
        admitted_on=today,
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


# --- Presence / absence ---------------------------------------------------------------------------

ADMINISTRATIVE = InformationCategory.ADMINISTRATIVE
NOT_RECORDED = _(
    "Votre profession ne peut pas enregistrer les présences et absences de cette personne, ou "
    "l'accompagnement de cette personne est terminé."
)
STALE_ATTENDANCE = _(
    "Cette présence ou absence a été modifiée par quelqu'un d'autre pendant votre saisie : "
    "rechargez la page."
)
ATTENDANCE_FIELDS = (
    "kind",
    "starts_on",
    "ends_on",
    "absence_kind",
    "reason",
    "planned_absence",
    "billable",
)


def _overlap_message(other: Attendance) -> str:
    return _(
        "Cette période chevauche une %(kind)s déjà enregistrée du %(start)s au %(end)s : "
        "corrigez ou marquez celle-ci comme saisie par erreur d'abord."
    ) % {
        "kind": other.get_kind_display().lower(),
        "start": f"{other.starts_on:%d/%m/%Y}",
        "end": f"{other.ends_on:%d/%m/%Y}",
    }


def _check_period(stay: Stay, starts_on, ends_on) -> None:
    if starts_on is None:
        raise ValidationError({"starts_on": _("Indiquez le premier jour.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("La fin ne peut précéder le début.")})
    if starts_on < stay.started_on:
        raise ValidationError(
            {
                "starts_on": _("La période commence avant l'entrée (le %(d)s).")
                % {"d": f"{stay.started_on:%d/%m/%Y}"}
            }
        )
    if stay.ended_on is not None and ends_on > stay.ended_on:
        raise ValidationError(
            {
                "ends_on": _("La période finit après la sortie (le %(d)s).")
                % {"d": f"{stay.ended_on:%d/%m/%Y}"}
            }
        )


def _lock_person(person):
    """One writer of a person's presence record at a time: the overlap check and the write
    run under the person's row lock (PostgreSQL; SQLite serialises writers)."""
    type(person).objects.select_for_update().filter(pk=person.pk).first()


@transaction.atomic
def attendance_record(
    *,
    acting_user,
    stay: Stay,
    kind: str,
    starts_on,
    ends_on=None,
    absence_kind: str = "",
    reason: str = "",
    planned_absence: bool = False,
    billable: bool = True,
    status: str = AttendanceStatus.PLANNED,
) -> Attendance:
    """Record a presence or an absence of the stay's person, for one day (`ends_on` None) or
    a period (both days included), within the stay. Status « planifiée » (a planned absence,
    the attendance sheet filled ahead) or « validée » (it happened: not before its first
    day). A person has at most one record standing on any day."""
    person = stay.person
    writes.require_write(acting_user, person, ADMINISTRATIVE, NOT_RECORDED)
    today = dates.today(stay.establishment)
    ends_on = ends_on or starts_on
    if kind not in AttendanceKind.values:
        raise ValidationError({"kind": _("Choisissez présence ou absence.")})
    if kind == AttendanceKind.ABSENT and absence_kind not in AbsenceKind.values:
        # TDDUI invariant motifAbsenceCardinality: an absence carries its motif (J406).
        raise ValidationError({"absence_kind": _("Indiquez le motif de l'absence.")})
    if kind == AttendanceKind.PRESENT:
        absence_kind, planned_absence = "", False
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Statut inconnu.")})
    _check_period(stay, starts_on, ends_on)
    if status == AttendanceStatus.VALIDATED and starts_on > today:
        raise ValidationError(
            {"starts_on": _("Une présence ou une absence ne se valide pas avant son début.")}
        )
    _lock_person(person)
    other = (
        Attendance.objects.in_force()
        .filter(person=person)
        .covering(starts_on, ends_on)
        .order_by("starts_on")
        .first()
    )
    if other is not None:
        raise ValidationError({"starts_on": _overlap_message(other)}, code="overlap")
    attendance = Attendance(
        person=person,
        stay=stay,
        status=status,
        status_changed_by=acting_user,
        status_changed_at=dates.now(),
    )
    writes.assign(
        attendance,
        {
            "kind": kind,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "absence_kind": absence_kind,
            "reason": reason or "",
            "planned_absence": planned_absence,
            "billable": billable,
        },
        ATTENDANCE_FIELDS,
    )
    try:
        return writes.create(attendance, acting_user=acting_user, person=person)
    except IntegrityError as error:
        # The database's own guard (a write that slipped past the locked check).
        if ATTENDANCE_NO_OVERLAP in str(error):
            raise ValidationError(
                {"starts_on": _("Cette période chevauche une autre déjà enregistrée.")},
                code="overlap",
            ) from error
        raise


@transaction.atomic
def attendance_validate(*, acting_user, attendance: Attendance, expected_version) -> Attendance:
    """Confirm that a planned presence or absence took place (TDDUI statut VALIDE, its author
    and date kept)."""
    writes.require_write(acting_user, attendance.person, ADMINISTRATIVE, NOT_RECORDED)
    attendance = writes.lock(
        attendance,
        expected_version=expected_version,
        stale_message=STALE_ATTENDANCE,
        related=("stay__establishment",),
    )
    if attendance.entered_in_error:
        raise ValidationError(_("Cette saisie est marquée comme erronée : elle ne se valide pas."))
    if attendance.status == AttendanceStatus.VALIDATED:
        raise ValidationError(_("Cette présence ou absence est déjà validée."))
    if attendance.starts_on > dates.today(attendance.stay.establishment):
        raise ValidationError(_("Une présence ou une absence ne se valide pas avant son début."))
    attendance.status = AttendanceStatus.VALIDATED
    attendance.status_changed_by = acting_user
    attendance.status_changed_at = dates.now()
    writes.save(attendance, acting_user=acting_user, reason=_("Validation"))
    journal.record(
        user=acting_user, action=AccessAction.UPDATE, person=attendance.person, obj=attendance
    )
    return attendance


@transaction.atomic
def attendance_mark_entered_in_error(
    *, acting_user, attendance: Attendance, reason: str, expected_version
) -> Attendance:
    """A wrong record is struck, never deleted: it stays in the history with its reason and no
    longer counts (nor blocks another record of the same days)."""
    writes.require_write(acting_user, attendance.person, ADMINISTRATIVE, NOT_RECORDED)
    attendance = writes.lock(
        attendance, expected_version=expected_version, stale_message=STALE_ATTENDANCE
    )
    reason = writes.required_reason(reason, _("Indiquez pourquoi cette saisie est une erreur."))
    if attendance.entered_in_error:
        raise ValidationError(_("Cette saisie est déjà marquée comme erronée."))
    attendance.entered_in_error = True
    attendance.entered_in_error_reason = reason
    writes.save(
        attendance,
        acting_user=acting_user,
        reason=_("Saisie par erreur : %(reason)s") % {"reason": reason},
    )
    journal.record(
        user=acting_user, action=AccessAction.AMEND, person=attendance.person, obj=attendance
    )
    return attendance
