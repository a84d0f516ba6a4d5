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

from django.db.models import Exists, OuterRef, Q, Subquery

from dui.access.policy import MANAGEMENT_ROLES, persons_visible_to, user_rights_in
from dui.core import dates
from dui.core.home import person_facts
from dui.people.models import DISPLAY_NAME_FIELDS

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
    """The persons whose stay in the unit (or, for an assignment to the whole establishment,
    in the establishment) is under way today — not the applicants, whose care team may be
    formed already — each with the room of that stay, split into present and absent today,
    and the stays planned to begin soon. Queries: the persons with their room (1), today's
    absences (1), the planned stays (1), then one or two per fact provider."""
    assignment = request.assignment
    if not assignment or assignment.role in MANAGEMENT_ROLES or not _reads_care(request):
        return None
    establishment = assignment.establishment
    today = dates.today(establishment)
    current = _scoped(Stay.objects.current(today), assignment).filter(person=OuterRef("pk"))
    room = Subquery(current.order_by("-started_on", "-pk").values("place__label")[:1])
    persons = list(
        persons_visible_to(user=request.user)
        .filter(Exists(current), merged_into__isnull=True)
        .only("public_id", *DISPLAY_NAME_FIELDS)
        .annotate(room=room)
        .order_by("birth_name", "first_names", "pk")[: DAY_LIST_SIZE + 1]
    )
    more = len(persons) > DAY_LIST_SIZE
    persons = persons[:DAY_LIST_SIZE]
    absences = {}
    if persons:
        for absence in (
            absences_on(today)
            .filter(person_id__in=[p.pk for p in persons], stay__establishment=establishment)
            .only("person_id", "absence_kind", "ends_on", "kind")
            .order_by("starts_on")
        ):
            absences[absence.person_id] = absence
    expected = list(
        _scoped(Stay.objects.planned(today), assignment)
        .filter(
            started_on__lte=today + timedelta(days=EXPECTED_WITHIN_DAYS),
            ended_on__isnull=True,
        )
        # Per planned stay (EXISTS on the person's key), not `person IN (every visible
        # person)`, which made SQLite read the access rule of every person first.
        .filter(Exists(persons_visible_to(user=request.user).filter(pk=OuterRef("person_id"))))
        .select_related("person", "place")
        .order_by("started_on", "pk")
    )
    facts = person_facts(request, persons, establishment)
    present, absent = [], []
    for person in persons:
        row = {"person": person, "room": person.room, "facts": facts.get(person.pk, [])}
        if person.pk in absences:
            row["absence"] = absences[person.pk]
            absent.append(row)
        else:
            present.append(row)
    return {
        "assignment": assignment,
        "persons": persons,
        "present": present,
        "absent": absent,
        "expected": expected,
        "more": more,
        "expected_days": EXPECTED_WITHIN_DAYS,
    }


def figures_panel(request) -> dict | None:
    """The figures of the day for the direction: 3 queries (occupancy's 2 without names, the
    absences)."""
    assignment = request.assignment
    if not assignment or assignment.role != "director":
        return None
    establishment = assignment.establishment
    today = dates.today(establishment)
    figures = occupancy(user=request.user, establishment=establishment, names=False)
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
