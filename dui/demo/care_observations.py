"""Demo measurements: every adult resident with a current stay gets a monthly weight over the
last year (a believable curve; about one in eight losing weight, so that « dénutrition à
confirmer » alerts exist), a height, blood pressure / pulse / temperature now and then, some
capillary glucose for one in six (the « diabetics »), stools over the last week; then the alert
rules are applied — the same functions as the services (`nutrition.assess_undernutrition`,
the settings' defaults) — and the open alerts are written in bulk.

Bulk inserts (`dui/demo/bulk.py` through `seeder.bulk_create`): a few dozen rows per resident,
a few queries per chunk of persons, whatever the number of persons."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from dui.care import nutrition
from dui.care.models import CareSettings
from dui.care.observations.measures import MEASURES, Measure, warning_of
from dui.care.observations.models import AlertKind, CareAlert, Observation
from dui.core import dates

MONTHS = 12
DEFAULTS = CareSettings()  # the documented defaults (no establishment's own settings yet)


def _at(day, hour: int, establishment) -> datetime:
    return dates.start_of_day(day, establishment) + timedelta(hours=hour, minutes=(hour * 7) % 50)


def seed_observations(seeder, stays: list, *, carers: dict) -> None:
    """Measures and open alerts for the current stays among `stays` (already saved).
    `carers`: establishment key → the demo carer who records them."""
    authors = {
        seeded.establishment.pk: carers[key]
        for key, seeded in seeder.establishments.items()
        if key in carers
    }
    rng = seeder.rng
    today = seeder.today
    observations: list[Observation] = []
    alerts: list[CareAlert] = []
    for stay in stays:
        person = stay.person
        if stay.ended_on is not None or stay.started_on > today or person.age < 60:
            continue
        author = authors.get(stay.establishment_id)
        establishment = stay.establishment
        rows: list[Observation] = []

        def add(
            measure,
            value,
            day,
            hour,
            *,
            person=person,
            establishment=establishment,
            author=author,
            rows=rows,
            **extra,
        ):
            row = Observation(
                person=person,
                establishment=establishment,
                measure=measure,
                value=Decimal(value),
                unit_code=MEASURES[measure].ucum,
                occurred_at=_at(day, hour, establishment),
                created_by=author,
                updated_by=author,
                warning=warning_of(
                    measure,
                    Decimal(value),
                    bristol=extra.get("bristol"),
                    period_hours=extra.get("period_hours"),
                ),
                **extra,
            )
            rows.append(row)
            return row

        first_day = max(stay.started_on, dates.add_months(today, -MONTHS))
        female = person.sex == "F"
        height = rng.randint(150, 166) if female else rng.randint(162, 180)
        add(Measure.HEIGHT, height, first_day, 9, method=rng.choice(["measured", "estimated"]))
        weight = Decimal(rng.randint(48, 82)) + Decimal(rng.randint(0, 9)) / 10
        losing = rng.random() < 0.125
        weights: list[tuple] = []
        month = 0
        while True:
            day = dates.add_months(first_day, month) + timedelta(days=rng.randint(0, 3))
            if day > today:
                break
            if losing and day > today - timedelta(days=75):
                weight -= Decimal(rng.randint(18, 30)) / 10  # ~3 % a month, lately
            else:
                weight += Decimal(rng.randint(-8, 8)) / 10
            weight = max(weight, Decimal(35))
            last_weight = add(Measure.WEIGHT, weight, day, 10)
            weights.append((day, weight))
            month += 1
        # Blood pressure, pulse and temperature every two weeks or so.
        day = first_day
        last_temperature = None
        while day <= today:
            systolic = rng.randint(105, 165)
            add(
                Measure.BLOOD_PRESSURE,
                systolic,
                day,
                8,
                value2=Decimal(systolic - rng.randint(40, 70)),
            )
            add(Measure.PULSE, rng.randint(58, 96), day, 8)
            temperature = Decimal(rng.randint(361, 376)) / 10
            if day > today - timedelta(days=3) and rng.random() < 0.08:
                temperature = Decimal(rng.randint(381, 392)) / 10  # a few feverish now
            last_temperature = add(Measure.TEMPERATURE, temperature, day, 8, method="tympanic")
            day += timedelta(days=rng.randint(10, 18))
        if rng.random() < 1 / 6:
            for n in range(0, 60, 3):
                add(
                    Measure.CAPILLARY_GLUCOSE,
                    Decimal(rng.randint(85, 210)) / 100,
                    today - timedelta(days=n),
                    7,
                )
        for n in range(7, 0, -1):
            count = rng.choice([0, 1, 1, 1, 2])
            add(
                Measure.STOOLS,
                count,
                today - timedelta(days=n),
                11,
                bristol=rng.randint(2, 6) if count else None,
            )
        observations.extend(rows)
        # The alert rules, as the services apply them.
        if weights and person.age >= nutrition.ADULT_AGE:
            result = nutrition.assess_undernutrition(
                age=person.age,
                weights=weights,
                height_m=Decimal(height) / 100,
                on=today,
            )
            if result.status == nutrition.TO_CONFIRM:
                criteria = "; ".join(c.label for c in result.phenotypic)
                alerts.append(
                    _alert(
                        person,
                        establishment,
                        AlertKind.UNDERNUTRITION_TO_CONFIRM,
                        last_weight,
                        f"{criteria} (poids {last_weight.shown}). Critère étiologique à "
                        "renseigner.",
                        author,
                    )
                )
        if last_temperature and last_temperature.value >= DEFAULTS.fever_celsius:
            alerts.append(
                _alert(
                    person,
                    establishment,
                    AlertKind.FEVER,
                    last_temperature,
                    f"Température {last_temperature.shown} (≥ 38 °C).",
                    author,
                )
            )
    seeder.bulk_create(Observation, observations, "observations")
    for alert in alerts:
        alert.source_observation_id = alert.source_observation.pk
        alert.source_id = alert.source_observation.public_id
    seeder.bulk_create(CareAlert, alerts, "care alerts")


def _alert(person, establishment, kind, source, detail, author) -> CareAlert:
    return CareAlert(
        person=person,
        establishment=establishment,
        kind=kind,
        raised_at=source.occurred_at,
        detail=detail[:300],
        source_observation=source,
        source_type=Observation._meta.label,
        created_by=author,
        updated_by=author,
    )
