"""Reads of stays (the record header, the search by room, occupancy) and of the presence /
absence record (the record's tab; the medication round, billing and the IME attendance sheet
ask `is_present`, `absent_person_ids` and `attendance_days`)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from dui.access.policy import assigned_establishment_ids, organisation_ids, persons_visible_to
from dui.core import dates
from dui.organisation.models import Place
from dui.people.placement import Placement

from .models import AbsenceKind, Attendance, AttendanceKind, Stay, StayState


def current_stay(*, person, user) -> Stay | None:
    """The person's current stay (`Stay.objects.current()`) within the user's organisations
    (one query)."""
    return (
        Stay.objects.current()
        .filter(person=person, establishment__organisation_id__in=organisation_ids(user))
        .select_related("establishment", "unit", "place")
        .order_by("-started_on", "-pk")
        .first()
    )


# --- Occupancy (issue 4, step 3) --------------------------------------------------------------


@dataclass
class Occupant:
    """Who holds a place: the name only for a person the user may see, else « occupée »."""

    stay: Stay
    visible: bool
    today: date | None = None

    @property
    def label(self) -> str:
        return self.stay.person.display_name if self.visible else _("occupée")

    @property
    def exit_day(self) -> date | None:
        """The actual exit if recorded, else the planned end."""
        return self.stay.ended_on or self.stay.planned_end

    @property
    def exit_is_planned(self) -> bool:
        return self.stay.ended_on is None and self.stay.planned_end is not None

    @property
    def overdue(self) -> bool:
        """Past its planned end and still there (no exit recorded)."""
        return (
            self.exit_is_planned and self.today is not None and self.stay.planned_end < self.today
        )


@dataclass
class PlaceRow:
    place: object
    today: Occupant | None = None
    on_day: Occupant | None = None
    planned: list = field(default_factory=list)  # occupants whose stay starts after the day

    @property
    def free_today(self) -> bool:
        return self.today is None

    @property
    def free_on_day(self) -> bool:
        return self.on_day is None


@dataclass
class UnitOccupancy:
    unit: object
    rows: list = field(default_factory=list)

    @property
    def places(self) -> int:
        return len(self.rows)

    @property
    def free_today(self) -> int:
        return sum(1 for r in self.rows if r.free_today)

    @property
    def free_on_day(self) -> int:
        return sum(1 for r in self.rows if r.free_on_day)


@dataclass
class Occupancy:
    establishment: object
    today: date
    day: date
    units: list = field(default_factory=list)
    admissions: list = field(default_factory=list)  # Occupant, stays planned on `day`
    discharges: list = field(default_factory=list)  # Occupant, stays with an exit ahead

    @property
    def places(self) -> int:
        return sum(u.places for u in self.units)

    @property
    def free_today(self) -> int:
        return sum(u.free_today for u in self.units)

    @property
    def free_on_day(self) -> int:
        return sum(u.free_on_day for u in self.units)


def occupancy(
    *, user, establishment, day: date | None = None, unit=None, names: bool = True
) -> Occupancy:
    """Places of an establishment (or of one unit), who holds them today and on `day`
    (`Stay.holds_place_on`: a current stay holds its place, a planned one reserves it from its
    entry, the exit day is free, a planned end frees it for the days after today), the
    planned admissions (stays still planned on `day`) and the exits ahead of the current stays
    (a planned end, or an exit recorded after today; a planned end already passed shows as
    overdue). Three
    queries whatever the number of places: the active places, the stays not ended by the
    earlier of the two days, and which of their persons the user may see. `names=False`: for
    the figures only — no person is read (two queries) and every occupant is « occupée »."""
    today = dates.today(establishment)
    day = day or today
    places = Place.objects.filter(establishment=establishment, is_active=True).select_related(
        "unit"
    )
    if unit is not None:
        places = places.filter(unit=unit)
    places = list(places.order_by("unit__name", "label", "pk"))
    stays = Stay.objects.filter(establishment=establishment, place__isnull=False).not_ended(
        min(today, day)
    )
    if unit is not None:
        stays = stays.filter(unit=unit)
    if names:
        stays = stays.select_related("person", "place", "unit")
    else:
        # What `holds_place_on` and `state_on` read, and the place: nothing else.
        stays = stays.only(
            "pk",
            "person_id",
            "establishment_id",
            "unit_id",
            "place_id",
            "started_on",
            "ended_on",
            "planned_end",
        )
    stays = list(stays.order_by("started_on", "pk"))
    person_ids = {s.person_id for s in stays} if names else set()
    visible = (
        set(
            persons_visible_to(user=user)
            .filter(pk__in=person_ids)
            .order_by()
            .values_list("pk", flat=True)
        )
        if person_ids
        else set()
    )
    result = Occupancy(establishment=establishment, today=today, day=day)
    rows: dict[int, PlaceRow] = {}
    units: dict[int, UnitOccupancy] = {}
    for place in places:
        if place.unit_id not in units:
            units[place.unit_id] = UnitOccupancy(unit=place.unit)
            result.units.append(units[place.unit_id])
        rows[place.pk] = PlaceRow(place=place)
        units[place.unit_id].rows.append(rows[place.pk])
    for stay in stays:
        occupant = Occupant(stay=stay, visible=stay.person_id in visible, today=today)
        planned_on_day = stay.state_on(day) == StayState.PLANNED
        row = rows.get(stay.place_id)
        if row is not None:
            if stay.holds_place_on(today, today=today):
                row.today = occupant
            if stay.holds_place_on(day, today=today):
                row.on_day = occupant
            if planned_on_day:
                row.planned.append(occupant)
        if planned_on_day:
            result.admissions.append(occupant)
        exit_ahead = (stay.ended_on is not None and stay.ended_on > today) or (
            occupant.exit_is_planned
        )
        if exit_ahead and stay.state_on(today) == StayState.CURRENT:
            result.discharges.append(occupant)
    result.discharges.sort(key=lambda o: (o.exit_day, o.stay.pk))
    return result


# --- What the record asks the pathway (registered in apps.py; dui.people.placement) ----------
# Added for issue 9 (the record does not import stays): self-contained, on Stay.objects.current().


def header_placement_of(*, person, user):
    """Where the person stays today, within the user's organisations: the record header's
    « establishment · unit · room » (one query)."""
    stay = current_stay(person=person, user=user)
    if stay is None:
        return None
    return Placement(
        establishment=stay.establishment.name,
        unit=stay.unit.name if stay.unit_id else "",
        room=stay.place.label if stay.place_id else "",
    )


def room_occupant_ids(labels, *, organisation_ids=None):
    """Ids of the persons whose stay today is on a place with one of these labels (case
    ignored), in these organisations (all when None): the search by room."""
    same_label = Q()
    for label in labels:
        same_label |= Q(place__label__iexact=label)
    stays = Stay.objects.current().filter(same_label)
    if organisation_ids is not None:
        stays = stays.filter(establishment__organisation_id__in=sorted(organisation_ids))
    return stays.order_by().values("person_id")


# --- Presence / absence -------------------------------------------------------------------------


def attendances_of(*, person, user):
    """The person's presence/absence records in the user's establishments, newest first, those
    entered in error too (the page strikes them through); for a paginated list."""
    return (
        Attendance.objects.filter(
            person=person, stay__establishment_id__in=sorted(assigned_establishment_ids(user))
        )
        .select_related("stay__establishment", "status_changed_by")
        .order_by("-starts_on", "-pk")
    )


def attendance_of(*, person, user, public_id) -> Attendance | None:
    return attendances_of(person=person, user=user).filter(public_id=public_id).first()


def stay_covering(*, person, user, day: date) -> Stay | None:
    """The person's stay, in the user's establishments, that covers `day` (entered by then and
    not left before): the stay a presence or absence of that day belongs to."""
    return (
        Stay.objects.current(day)
        .filter(person=person, establishment_id__in=sorted(assigned_establishment_ids(user)))
        .select_related("establishment", "person")
        .order_by("-started_on", "-pk")
        .first()
    )


def absences_on(day: date):
    """Absences standing on `day` (not entered in error), whatever their status: a planned
    absence counts as absence until it is marked entered in error."""
    return Attendance.objects.in_force().filter(kind=AttendanceKind.ABSENT).covering(day)


def absent_person_ids(*, day: date, person_ids=None, establishment=None):
    """Ids of the persons absent on `day` (one query; a one-column queryset usable in
    `pk__in`): the medication round leaves them out, the header may say so."""
    absences = absences_on(day)
    if person_ids is not None:
        absences = absences.filter(person_id__in=person_ids)
    if establishment is not None:
        absences = absences.filter(stay__establishment=establishment)
    return absences.order_by().values_list("person_id", flat=True)


def is_present(*, person, day: date, establishment=None) -> bool:
    """Whether the person is there on `day`: a current stay (`Stay.objects.current`) of the
    establishment (any when None) and no absence standing that day. A day without any record
    counts as present — for a hosted person, presence is the rule and absences are recorded;
    the IME attendance sheet, which records presences too, reads `attendance_days`."""
    stays = Stay.objects.current(day).filter(person=person)
    if establishment is not None:
        stays = stays.filter(establishment=establishment)
    return stays.exists() and not absences_on(day).filter(person=person).exists()


@dataclass(frozen=True)
class AttendanceDays:
    """Days of a stay over a period, by what was recorded (records standing only)."""

    stay_days: int  # days of the period within the stay (entry day to exit day)
    present: int
    absent: dict  # AbsenceKind value -> days
    billable: int  # days of records marked billable

    @property
    def absent_total(self) -> int:
        return sum(self.absent.values())

    @property
    def unrecorded(self) -> int:
        return self.stay_days - self.present - self.absent_total


def attendance_days(*, stay: Stay, start: date, end: date) -> AttendanceDays:
    """Days of [start, end] (both included) in the stay, and how many were recorded present,
    absent (by kind of absence) and billable (one query). Records are clipped to the period
    and to the stay."""
    first = max(start, stay.started_on)
    last = min(end, stay.ended_on) if stay.ended_on else end
    stay_days = max(0, (last - first).days + 1)
    present, billable = 0, 0
    absent = {kind: 0 for kind in AbsenceKind.values}
    if stay_days:
        records = (
            Attendance.objects.in_force()
            .filter(stay=stay)
            .covering(first, last)
            .only("kind", "absence_kind", "billable", "starts_on", "ends_on")
        )
        for record in records:
            days = (min(record.ends_on, last) - max(record.starts_on, first)).days + 1
            if record.kind == AttendanceKind.PRESENT:
                present += days
            else:
                absent[record.absence_kind] = absent.get(record.absence_kind, 0) + days
            if record.billable:
                billable += days
    return AttendanceDays(stay_days=stay_days, present=present, absent=absent, billable=billable)
