"""The rules that raise care alerts (issue 13 item 4). No one types an alert: the service that
saves an observation calls `after_observation`, the daily command calls `no_stools_rule`; the
falls part calls `raise_alert(kind=REPEATED_FALLS)`.

Each rule is one function. Thresholds come from the establishment's care settings
(`dui.care.shifts.care_settings`); their defaults and sources:
- fever ≥ 38,0 °C, hypothermia ≤ 35,0 °C: NEWS2 (Royal College of Physicians 2017) scores
  3 points at ≤ 35,0 °C; « fièvre ≥ 38 °C » is the French usage (research notes §2.3);
- hypoglycaemia < 0,70 g/L (≈ 4,0 mmol/L, the usual treatment threshold), hyperglycaemia
  > 2,50 g/L (pharmacists' definitions, research notes §2.4): the médecin coordonnateur changes
  them;
- no stools for 3 days: an EHPAD protocol convention, not a guideline threshold (§2.5); counted
  only for a person whose stools are recorded, and absences suspend it;
- undernutrition: `dui.care.nutrition` (HAS 2019 / HAS-FFN 2021), « à confirmer » while the
  etiological criterion is missing;
- repeated falls: a second fall within 12 months (HAS/SFGG 2009, « Évaluation et prise en
  charge des personnes âgées faisant des chutes répétées »): the falls part decides, this
  module records the alert.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction

from dui.core import dates

from .. import nutrition
from ..shifts import care_settings
from .measures import Measure, fr_number
from .models import AlertKind, CareAlert, Observation, UndernutritionEtiology

# The etiological criterion recorded by a professional counts for this long (convention: the
# texts give none; the diagnosis persists while the phenotypic criterion persists).
ETIOLOGY_VALID_DAYS = 183
# The weighings the undernutrition rule reads: 6 months (HAS) and a few days of margin.
WEIGHT_HISTORY_DAYS = 190
# Stools: a person counts as « followed » when stools were recorded in this many days.
STOOLS_FOLLOWED_DAYS = 14


def raise_alert(*, person, kind: str, source, detail: str, establishment=None) -> CareAlert:
    """Open an alert of this kind for the person, or keep the one already open (one open
    alert per person and kind: the database refuses a second one). `source`: the row that
    raised it (an Observation, a Fall…) or None; `establishment` defaults to the source's."""
    establishment = establishment or getattr(source, "establishment", None)
    open_alert = CareAlert.objects.filter(
        person=person, kind=kind, acknowledged_at__isnull=True, entered_in_error=False
    ).first()
    if open_alert is not None:
        return open_alert
    alert = CareAlert(
        person=person,
        establishment=establishment,
        kind=kind,
        raised_at=dates.now(),
        detail=detail[:300],
        source_observation=source if isinstance(source, Observation) else None,
        source_type=source._meta.label if source is not None else "",
        source_id=getattr(source, "public_id", None),
    )
    try:
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        # Raised at the same moment by another request: that one is the open alert.
        return CareAlert.objects.get(
            person=person, kind=kind, acknowledged_at__isnull=True, entered_in_error=False
        )
    return alert


def after_observation(observation: Observation) -> list[CareAlert]:
    """Every rule that a new observation may trigger."""
    rule = {
        Measure.WEIGHT: undernutrition_rule,
        Measure.HEIGHT: undernutrition_rule,
        Measure.TEMPERATURE: temperature_rule,
        Measure.CAPILLARY_GLUCOSE: glucose_rule,
    }.get(observation.measure)
    found = rule(observation) if rule else None
    return [found] if found else []


def temperature_rule(observation: Observation) -> CareAlert | None:
    settings = care_settings(observation.establishment)
    value = observation.value
    if value >= settings.fever_celsius:
        kind, threshold = AlertKind.FEVER, f"≥ {fr_number(settings.fever_celsius)} °C"
    elif value <= settings.hypothermia_celsius:
        kind, threshold = AlertKind.HYPOTHERMIA, f"≤ {fr_number(settings.hypothermia_celsius)} °C"
    else:
        return None
    return raise_alert(
        person=observation.person,
        kind=kind,
        source=observation,
        detail=f"Température {observation.shown} ({threshold}).",
    )


def glucose_rule(observation: Observation) -> CareAlert | None:
    settings = care_settings(observation.establishment)
    value = observation.value
    if value < settings.hypoglycaemia_g_per_l:
        kind = AlertKind.HYPOGLYCAEMIA
        threshold = f"< {fr_number(settings.hypoglycaemia_g_per_l)} g/L"
    elif value > settings.hyperglycaemia_g_per_l:
        kind = AlertKind.HYPERGLYCAEMIA
        threshold = f"> {fr_number(settings.hyperglycaemia_g_per_l)} g/L"
    else:
        return None
    return raise_alert(
        person=observation.person,
        kind=kind,
        source=observation,
        detail=f"Glycémie capillaire {observation.shown} ({threshold}).",
    )


def nutrition_status(*, person, on=None, latest=None) -> nutrition.NutritionResult | None:
    """The HAS criteria applied to the person's recorded weighings, latest height and
    etiological criterion (3 queries; 2 when `latest`, the page's last value of each measure,
    gives the height); None under 18 or without any weighing."""
    on = on or dates.today()
    age = person.age
    if age < nutrition.ADULT_AGE:
        return None
    since = dates.start_of_day(on - timedelta(days=WEIGHT_HISTORY_DAYS))
    rows = list(
        Observation.objects.filter(
            person=person, measure=Measure.WEIGHT, entered_in_error=False, occurred_at__gte=since
        ).values_list("occurred_at", "value")
    )
    if not rows:
        return None
    weights = [(dates.date_of(when), value) for when, value in rows]
    if latest is None:
        height = latest_height_m(person=person)
    else:
        height = latest[Measure.HEIGHT].value / 100 if Measure.HEIGHT in latest else None
    etiology = latest_etiology(person=person, on=on)
    return nutrition.assess_undernutrition(
        age=age,
        weights=weights,
        height_m=height,
        reduced_intake=bool(etiology and etiology.reduced_intake),
        reduced_absorption=bool(etiology and etiology.reduced_absorption),
        aggression=bool(etiology and etiology.aggression),
        on=on,
    )


def latest_height_m(*, person):
    height = (
        Observation.objects.filter(person=person, measure=Measure.HEIGHT, entered_in_error=False)
        .order_by("-occurred_at", "-pk")
        .values_list("value", flat=True)
        .first()
    )
    return height / 100 if height is not None else None


def latest_etiology(*, person, on=None) -> UndernutritionEtiology | None:
    on = on or dates.today()
    return (
        UndernutritionEtiology.objects.filter(
            person=person,
            entered_in_error=False,
            noted_on__gte=on - timedelta(days=ETIOLOGY_VALID_DAYS),
            noted_on__lte=on,
        )
        .order_by("-noted_on", "-pk")
        .first()
    )


def undernutrition_rule(observation: Observation) -> CareAlert | None:
    """A phenotypic criterion without an etiological one raises « dénutrition à confirmer »
    (HAS 2019 / HAS-FFN 2021 need both; the professional records the etiological criterion)."""
    result = nutrition_status(person=observation.person, on=dates.date_of(observation.occurred_at))
    if result is None or result.status != nutrition.TO_CONFIRM:
        return None
    criteria = "; ".join(c.label for c in result.phenotypic)
    bmi = f", IMC {fr_number(result.bmi)}" if result.bmi is not None else ""
    return raise_alert(
        person=observation.person,
        kind=AlertKind.UNDERNUTRITION_TO_CONFIRM,
        source=observation,
        detail=f"{criteria} (poids {observation.shown}{bmi}). Critère étiologique à renseigner.",
    )


def no_stools_rule(*, person, establishment, on=None, absent_days=()) -> CareAlert | None:
    """No stools recorded for `no_stools_days` days (default 3, convention) for a person
    whose stools are followed (a stools entry in the last 14 days, « 0 » included); days of
    absence (`absent_days`: dates) are not counted. Called by the daily command."""
    on = on or dates.today(establishment)
    days = care_settings(establishment).no_stools_days
    followed_since = dates.start_of_day(on - timedelta(days=STOOLS_FOLLOWED_DAYS), establishment)
    entries = list(
        Observation.objects.filter(
            person=person,
            measure=Measure.STOOLS,
            entered_in_error=False,
            occurred_at__gte=followed_since,
        )
        .order_by("-occurred_at")
        .values_list("occurred_at", "value")
    )
    if not entries:
        return None  # not followed: « non renseigné », not « pas de selles »
    last_stool = next((when for when, count in entries if count >= 1), None)
    start = (
        dates.date_of(last_stool, establishment)
        if last_stool
        else on - timedelta(days=STOOLS_FOLLOWED_DAYS)
    )
    absent = set(absent_days)
    counted = sum(
        1 for n in range(1, (on - start).days + 1) if start + timedelta(days=n) not in absent
    )
    if counted < days:
        return None
    since = f"le {start:%d/%m/%Y}" if last_stool else "14 jours"
    return raise_alert(
        person=person,
        kind=AlertKind.NO_STOOLS,
        source=None,
        establishment=establishment,
        detail=f"Pas de selles depuis {since} ({counted} jours, seuil {days} jours).",
    )
