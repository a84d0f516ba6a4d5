"""What the stays brick puts on « Ma journée » (dui.core.home):

- the unit's day list, for those who read the care part (carers, nurses): the persons present
  today with their room and what the other bricks say about them (allergies, alerts, what is
  due: `person_facts`), then, apart, those absent today (Attendance, TDDUI typePresenceAbsence
  « Absence ») and those expected (stays planned to begin within `EXPECTED_WITHIN_DAYS`);
- the figures of the day, for the direction: places, occupied, free, present, absent, entries
  and exits ahead (`occupancy`).

Persons come from `persons_visible_to`; each panel runs a fixed number of queries whatever the
number of persons (the day list is capped at `DAY_LIST_SIZE`, with a link to the full list).
"""

from datetime import timedelta

from django.db.models import Q

from dui.access.policy import MANAGEMENT_ROLES, persons_visible_to, user_rights_in
from dui.core import dates
from dui.core.home import person_facts

from .models import Stay
from .selectors import absences_on, occupancy

DAY_LIST_SIZE = 60
EXPECTED_WITHIN_DAYS = 7


def _scoped(stays, assignment):
    stays = stays.filter(establishment_id=assignment.establishment_id)
    if assignment.unit_id:
        stays = stays.filter(unit_id=assignment.unit_id)
    return stays


def _reads_care(request) -> bool:
    assignment = request.assignment
    return bool(assignment) and user_rights_in(request.user, assignment.establishment_id)["care"][0]


def day_list_panel(request) -> dict | None:
    assignment = request.assignment
    if not assignment or assignment.role in MANAGEMENT_ROLES or not _reads_care(request):
        return None
    establishment = assignment.establishment
    today = dates.today(establishment)
    visible = persons_visible_to(user=request.user).filter(merged_into__isnull=True)
    current = list(
        _scoped(Stay.objects.current(today), assignment)
        .filter(person__in=visible)
        .select_related("person", "place")
        .order_by("place__label", "person__birth_name", "person__first_names", "pk")[
            : DAY_LIST_SIZE + 1
        ]
    )
    more = len(current) > DAY_LIST_SIZE
    current = current[:DAY_LIST_SIZE]
    absences = {}
    if current:
        for absence in (
            absences_on(today)
            .filter(person_id__in=[s.person_id for s in current])
            .only("person_id", "absence_kind", "ends_on", "kind")
            .order_by("starts_on")
        ):
            absences[absence.person_id] = absence
    expected = list(
        _scoped(Stay.objects.planned(today), assignment)
        .filter(person__in=visible, started_on__lte=today + timedelta(days=EXPECTED_WITHIN_DAYS))
        .filter(Q(ended_on__isnull=True))
        .select_related("person", "place")
        .order_by("started_on", "pk")
    )
    listed = [s.person for s in current]
    facts = person_facts(request, listed, establishment)
    present, absent = [], []
    for stay in current:
        row = {"stay": stay, "person": stay.person, "facts": facts.get(stay.person_id, [])}
        if stay.person_id in absences:
            row["absence"] = absences[stay.person_id]
            absent.append(row)
        else:
            present.append(row)
    return {
        "assignment": assignment,
        "present": present,
        "absent": absent,
        "expected": expected,
        "more": more,
        "expected_days": EXPECTED_WITHIN_DAYS,
    }


def figures_panel(request) -> dict | None:
    """The figures of the day for the direction: 4 queries (occupancy's 3, the absences)."""
    assignment = request.assignment
    if not assignment or assignment.role != "director":
        return None
    establishment = assignment.establishment
    today = dates.today(establishment)
    figures = occupancy(user=request.user, establishment=establishment)
    occupied = figures.places - figures.free_today
    absent = (
        absences_on(today)
        .filter(stay__establishment=establishment)
        .filter(Q(stay__ended_on__isnull=True) | Q(stay__ended_on__gte=today))
        .values("person_id")
        .distinct()
        .count()
    )
    return {
        "establishment": establishment,
        "places": figures.places,
        "occupied": occupied,
        "free": figures.free_today,
        "rate": round(100 * occupied / figures.places) if figures.places else None,
        "absent": absent,
        "entries": len(figures.admissions),
        "exits": len(figures.discharges),
    }
