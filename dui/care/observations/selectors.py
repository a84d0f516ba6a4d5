"""Reads of the measurements and care alerts, for persons already opened through the access
layer (one person's record) or listed by `persons_visible_to` (the unit's screens)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import ngettext

from dui.access.models import InformationCategory
from dui.access.policy import persons_visible_to, user_rights_in
from dui.assessments.selectors import last_validated_of
from dui.core import dates
from dui.core.home import Fact, Todo
from dui.people.record import Badge
from dui.stays.models import Stay

from .. import nutrition
from .measures import Measure
from .models import CareAlert, Observation

CARE = InformationCategory.CARE
PAIN_INSTRUMENTS = ("en", "eva", "algoplus", "doloplus2")


def latest_by_measure(*, person) -> dict[str, Observation]:
    """The last value of each measure (one query, whatever the number of observations)."""
    rows = (
        Observation.objects.filter(person=person, entered_in_error=False)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("measure")],
                order_by=[F("occurred_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .select_related("created_by")
    )
    return {o.measure: o for o in rows}


def bmi_of(latest: dict[str, Observation]):
    """IMC from the last weight and the last height (never typed), one decimal."""
    weight, height = latest.get(Measure.WEIGHT), latest.get(Measure.HEIGHT)
    if weight is None or height is None:
        return None
    return nutrition.body_mass_index(weight.value, height.value / 100)


def recent_observations(*, person):
    return (
        Observation.objects.filter(person=person)
        .select_related("created_by", "updated_by")
        .order_by("-occurred_at", "-pk")
    )


def last_pain(*, person, access):
    """The last validated pain score, read through the assessments brick's selectors (one
    source of truth: pain is never typed here); one query."""
    return last_validated_of(person=person, access=access, codes=PAIN_INSTRUMENTS)


def chart_series(*, person, months: int, on=None) -> dict[str, list[Observation]]:
    """The person's weights, blood pressures, temperatures and glucose over `months` months
    (one query)."""
    on = on or dates.today()
    since = dates.start_of_day(dates.add_months(on, -months))
    series: dict[str, list[Observation]] = {
        m: [] for m in (Measure.WEIGHT, Measure.BLOOD_PRESSURE, Measure.TEMPERATURE)
    }
    series[Measure.CAPILLARY_GLUCOSE] = []
    for o in (
        Observation.objects.filter(
            person=person,
            entered_in_error=False,
            occurred_at__gte=since,
            measure__in=list(series),
        )
        .only("measure", "value", "value2", "occurred_at", "method", "person_id", "unit_code")
        .order_by("occurred_at", "pk")
    ):
        series[o.measure].append(o)
    return series


def open_alerts(*, person):
    return CareAlert.objects.filter(
        person=person, acknowledged_at__isnull=True, entered_in_error=False
    ).order_by("-raised_at", "-pk")


def open_alerts_of(person) -> list[CareAlert]:
    """The person's open alerts, read once per request: the header's badges and the page
    showing them share the list (kept on the person object the access layer opened)."""
    cached = getattr(person, "_open_care_alerts", None)
    if cached is None:
        cached = person._open_care_alerts = list(open_alerts(person=person))
    return cached


def person_alerts(*, person):
    return (
        CareAlert.objects.filter(person=person, entered_in_error=False)
        .select_related("acknowledged_by")
        .order_by("acknowledged_at", "-raised_at", "-pk")
    )


def alert_badges(person, access) -> list:
    """Header badges: one red badge per open care alert (one query; none for a user who does
    not read care)."""
    if not access.can_read(CARE):
        return []
    url = reverse("care:obs_list", kwargs={"person_id": person.public_id})
    return [
        Badge(f"Alerte : {a.get_kind_display()}", "danger", title=a.detail, url=url)
        for a in open_alerts_of(person)
    ]


def alert_facts(request, persons, establishment) -> dict:
    """« Ma journée »: each person's open care alerts (one query)."""
    if not user_rights_in(request.user, establishment.pk)[CARE][0]:
        return {}
    by_person = {p.pk: p for p in persons}
    facts: dict[int, list] = {}
    for alert in CareAlert.objects.filter(
        person_id__in=list(by_person), acknowledged_at__isnull=True, entered_in_error=False
    ).only("kind", "detail", "person_id"):
        person = by_person[alert.person_id]
        url = reverse("care:obs_list", kwargs={"person_id": person.public_id})
        facts.setdefault(alert.person_id, []).append(
            Fact(f"Alerte : {alert.get_kind_display()}", "danger", url, alert.detail)
        )
    return facts


def unit_alerts(*, user, establishment):
    """Open alerts of the persons this user sees in the establishment (`persons_visible_to`
    already keeps a unit's team to its unit)."""
    alerts = CareAlert.objects.filter(
        establishment=establishment,
        acknowledged_at__isnull=True,
        entered_in_error=False,
        person__in=persons_visible_to(user=user),
    )
    return alerts.select_related("person").order_by("-raised_at", "-pk")


def handover_alerts(*, user, establishment, unit, limit: int) -> tuple[list[CareAlert], int]:
    """The open alerts the handover shows first (the unit's persons whose stay is under way
    today, or the whole establishment's), newest first: at most `limit` rows and the total."""
    alerts = unit_alerts(user=user, establishment=establishment)
    if unit is not None:
        stays = Stay.objects.current(dates.today(establishment)).filter(unit=unit)
        alerts = alerts.filter(person__in=stays.values("person_id"))
    rows = list(alerts[:limit])
    return rows, (alerts.count() if len(rows) == limit else len(rows))


def alert_todos(request) -> list:
    """« N alertes de soins à traiter » on « Ma journée » (one count query)."""
    assignment = getattr(request, "assignment", None)
    if assignment is None:
        return []
    if not user_rights_in(request.user, assignment.establishment_id)[CARE][1]:
        return []
    count = unit_alerts(user=request.user, establishment=assignment.establishment).count()
    label = ngettext(
        "%(n)d alerte de soins à traiter", "%(n)d alertes de soins à traiter", count
    ) % {"n": count}
    return [Todo(label, count, reverse("care:obs_alerts"), "danger", order=10)]


@dataclass
class RoundRow:
    person: object
    previous: Observation | None
    absent: bool
    done: Observation | None  # taken during this round (today)


def round_rows(*, user, establishment, unit, measure: str, on=None) -> list[RoundRow]:
    """Every person whose stay is under way in the unit (that the user may see), in room
    order, with the previous value of the measure and whether it was taken today; absent
    persons are flagged (shown, not asked). Four queries whatever the unit's size."""
    from dui.stays.models import Stay
    from dui.stays.selectors import absent_person_ids

    on = on or dates.today(establishment)
    stays = (
        Stay.objects.current(on)
        .filter(
            establishment=establishment,
            person__in=persons_visible_to(user=user),
        )
        .select_related("person", "place")
        .order_by("place__label", "person__birth_name", "pk")
    )
    if unit is not None:
        stays = stays.filter(unit=unit)
    stays = list(stays)
    person_ids = [s.person_id for s in stays]
    absent = set(absent_person_ids(day=on, person_ids=person_ids))
    last = {
        o.person_id: o
        for o in Observation.objects.filter(
            person_id__in=person_ids, measure=measure, entered_in_error=False
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("person_id")],
                order_by=[F("occurred_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
    }
    start = dates.start_of_day(on, establishment)
    rows, seen = [], set()
    for stay in stays:
        if stay.person_id in seen:
            continue
        seen.add(stay.person_id)
        previous = last.get(stay.person_id)
        done = previous if previous and previous.occurred_at >= start else None
        rows.append(RoundRow(stay.person, previous, stay.person_id in absent, done))
    return rows
