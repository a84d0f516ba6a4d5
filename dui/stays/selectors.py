"""Reads of stays, for the record header, search and occupancy."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from dui.access.policy import organisation_ids, persons_visible_to
from dui.core import dates
from dui.organisation.models import Place
from dui.people.placement import Placement

from .models import Stay


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

    @property
    def label(self) -> str:
        return self.stay.person.display_name if self.visible else _("occupée")


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
    admissions: list = field(default_factory=list)  # Occupant, stays starting after `day`
    discharges: list = field(default_factory=list)  # Occupant, exits planned after today

    @property
    def places(self) -> int:
        return sum(u.places for u in self.units)

    @property
    def free_today(self) -> int:
        return sum(u.free_today for u in self.units)

    @property
    def free_on_day(self) -> int:
        return sum(u.free_on_day for u in self.units)


def _occupies(stay: Stay, day: date) -> bool:
    """Whether the stay holds its place on `day`. Not `Stay.objects.current()`: the exit day
    counts in the stay (the person leaves during it) but the place is free that day for the
    next person (`services.overlapping_stays` follows the same rule)."""
    return stay.started_on <= day and (stay.ended_on is None or stay.ended_on > day)


def occupancy(*, user, establishment, day: date | None = None, unit=None) -> Occupancy:
    """Places of an establishment (or of one unit), who holds them today and on `day`, the
    planned admissions (stays starting after `day`) and discharges (exit set after today).
    Three queries whatever the number of places: the active places, the stays not ended by
    the earlier of the two days, and which of their persons the user may see."""
    today = dates.today(establishment)
    day = day or today
    places = Place.objects.filter(establishment=establishment, is_active=True).select_related(
        "unit"
    )
    if unit is not None:
        places = places.filter(unit=unit)
    places = list(places.order_by("unit__name", "label", "pk"))
    stays = Stay.objects.filter(establishment=establishment, place__isnull=False).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=min(today, day))
    )
    if unit is not None:
        stays = stays.filter(unit=unit)
    stays = list(stays.select_related("person", "place", "unit").order_by("started_on", "pk"))
    person_ids = {s.person_id for s in stays}
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
        occupant = Occupant(stay=stay, visible=stay.person_id in visible)
        row = rows.get(stay.place_id)
        if row is not None:
            if _occupies(stay, today):
                row.today = occupant
            if _occupies(stay, day):
                row.on_day = occupant
            if stay.started_on > day:
                row.planned.append(occupant)
        if stay.started_on > day:
            result.admissions.append(occupant)
        if stay.ended_on is not None and stay.ended_on > today:
            result.discharges.append(occupant)
    result.discharges.sort(key=lambda o: (o.stay.ended_on, o.stay.pk))
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
