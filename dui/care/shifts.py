"""Shifts (postes): the morning, afternoon and night of a care team, as the establishment set them
(`CareSettings`, defaults 7 h / 14 h / 21 h). The handover (relève) shows what was written since
the start of the previous shift; the daily task list is cut by shift.

Times are wall-clock times in the establishment's zone (`dui.core.dates`): a shift that starts
at 7 h starts at 7 h local time on both sides of a clock change, and the night runs from its
start to the next morning's start (so it lasts one hour more or less on the nights the clocks
change)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils.translation import gettext_lazy as _

from dui.core import dates

from .models import CareSettings

MORNING, AFTERNOON, NIGHT = "morning", "afternoon", "night"
SHIFT_LABELS = {MORNING: _("matin"), AFTERNOON: _("après-midi"), NIGHT: _("nuit")}
ORDER = (MORNING, AFTERNOON, NIGHT)


def care_settings(establishment) -> CareSettings:
    """The establishment's care settings, or the defaults (not saved, version 0). Read once
    per establishment object: « Ma journée » asks it from several parts of the care record in
    one request (the handover, the task list, the alerts), and a request loads its
    establishment afresh."""
    if establishment is None:
        return CareSettings(version=0)
    cached = establishment.__dict__.get("_dui_care_settings")
    if cached is None:
        found = CareSettings.objects.filter(establishment=establishment).first()
        cached = found or CareSettings(establishment=establishment, version=0)
        establishment.__dict__["_dui_care_settings"] = cached
    return cached


@dataclass(frozen=True)
class Shift:
    code: str  # MORNING, AFTERNOON or NIGHT
    day: date  # the calendar day the shift begins on (a night belongs to its evening)
    starts_at: datetime  # aware
    ends_at: datetime  # aware, the next shift's start

    @property
    def label(self) -> str:
        return str(SHIFT_LABELS[self.code])

    def __str__(self) -> str:
        return f"{self.label} du {self.day:%d/%m/%Y}"

    def contains(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


def _local(day: date, at: time, establishment) -> datetime:
    """The aware moment of a wall-clock time on a day in the establishment's zone (a time
    skipped by the spring clock change is read as the hour after, as `zoneinfo` does), in UTC:
    two moments of the same zone object would subtract as wall-clock times."""
    zone = dates.zone_of(establishment)
    return datetime.combine(day, at).replace(tzinfo=zone).astimezone(UTC)


def _starts(settings: CareSettings) -> dict[str, time]:
    return {
        MORNING: settings.morning_starts_at,
        AFTERNOON: settings.afternoon_starts_at,
        NIGHT: settings.night_starts_at,
    }


def shift_of(code: str, day: date, establishment, settings: CareSettings | None = None) -> Shift:
    """The shift `code` that begins on `day`."""
    settings = settings or care_settings(establishment)
    starts = _starts(settings)
    index = ORDER.index(code)
    if index < len(ORDER) - 1:
        end_day, end_time = day, starts[ORDER[index + 1]]
    else:
        end_day, end_time = day + timedelta(days=1), starts[MORNING]
    return Shift(
        code=code,
        day=day,
        starts_at=_local(day, starts[code], establishment),
        ends_at=_local(end_day, end_time, establishment),
    )


def shifts_of_day(day: date, establishment, settings: CareSettings | None = None) -> list[Shift]:
    """The three shifts that begin on `day` (the night ends the next morning)."""
    settings = settings or care_settings(establishment)
    return [shift_of(code, day, establishment, settings) for code in ORDER]


def shift_at(
    establishment, moment: datetime | None = None, settings: CareSettings | None = None
) -> Shift:
    """The shift under way at `moment` (now by default). Before the morning starts, it is the
    night that began the evening before."""
    settings = settings or care_settings(establishment)
    moment = moment or dates.now()
    day = dates.date_of(moment, establishment)
    for shift in shifts_of_day(day - timedelta(days=1), establishment, settings)[-1:] + (
        shifts_of_day(day, establishment, settings)
    ):
        if shift.contains(moment):
            return shift
    raise AssertionError("a moment always falls in a shift")  # pragma: no cover


def previous_shift(shift: Shift, establishment, settings: CareSettings | None = None) -> Shift:
    """The shift before `shift` (the handover reads what was written since its start)."""
    settings = settings or care_settings(establishment)
    index = ORDER.index(shift.code)
    if index == 0:
        return shift_of(NIGHT, shift.day - timedelta(days=1), establishment, settings)
    return shift_of(ORDER[index - 1], shift.day, establishment, settings)
