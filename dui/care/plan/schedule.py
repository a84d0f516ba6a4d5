"""When a care plan line falls due: the times of day of a recurring care task (Django-free).

A line is due at fixed times of day (« 8 h et 20 h ») or every N hours from a start time
(« toutes les 3 h à partir de 6 h »: repositioning of a bedridden person, HAS 2001 « Prévention
et traitement des escarres de l'adulte et du sujet âgé », conférence de consensus: change of
position every 2 to 3 hours), on chosen weekdays or every day, between two dates. This is the
FHIR `Timing.repeat` of the line (`timeOfDay`, `frequency`/`period`/`periodUnit`, `dayOfWeek`,
`boundsPeriod`).

An « every N hours » rhythm is anchored each day at its start time: its times of day are the
start, start + N, … until the next day's start (every 5 h from 6 h: 6 h, 11 h, 16 h, 21 h, 2 h).
When 24 is not a multiple of N the last interval of the day is shorter, so that the care team
finds the same times every day (what a paper plan of care shows)."""

from __future__ import annotations

from datetime import date, time

ALL_WEEKDAYS = 0b1111111  # Monday = bit 0 … Sunday = bit 6 (date.weekday())
WEEKDAY_LABELS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")


def parse_times(values) -> list[time]:
    """« 08:00 » strings (or times) → sorted distinct times; ValueError on a bad one."""
    found = set()
    for value in values or ():
        if isinstance(value, time):
            found.add(value.replace(second=0, microsecond=0))
            continue
        hours, _sep, minutes = str(value).strip().partition(":")
        found.add(time(int(hours), int(minutes or 0)))
    return sorted(found)


def format_times(times) -> list[str]:
    return [f"{t:%H:%M}" for t in parse_times(times)]


def times_of_day(*, times=(), every_hours: int | None = None) -> list[time]:
    """The times of day of a line: its fixed times, or the rhythm from its start time (the
    first of `times`)."""
    fixed = parse_times(times)
    if not every_hours:
        return fixed
    if not fixed:
        return []
    start = fixed[0]
    minutes = start.hour * 60 + start.minute
    found = set()
    for offset in range(0, 24 * 60, every_hours * 60):
        at = (minutes + offset) % (24 * 60)
        found.add(time(at // 60, at % 60))
    return sorted(found)


def runs_on(day: date, *, weekdays: int, starts_on: date, ends_on: date | None) -> bool:
    """Whether the line is due at all on `day` (its dates, its weekdays)."""
    if day < starts_on or (ends_on is not None and day > ends_on):
        return False
    return bool(weekdays & (1 << day.weekday()))


def weekdays_label(weekdays: int) -> str:
    if weekdays & ALL_WEEKDAYS == ALL_WEEKDAYS:
        return "tous les jours"
    return ", ".join(label for i, label in enumerate(WEEKDAY_LABELS) if weekdays & (1 << i))
