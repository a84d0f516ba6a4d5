"""Days and moments: the one rule for turning a moment into a day (DESIGN §4.7).

Moments are stored in UTC. A *day* — today, the day a note was written, the day a delay
ends — is always the establishment's calendar day, in its time zone: Europe/Paris in
metropolitan France, the overseas departments have their own. At 23:30 UTC in summer it is
already tomorrow in Paris; a "today" list, a due date or a late count computed on the UTC date
would be one day off exactly when the night staff reads it.

Rules kept everywhere (code, fixtures, factories):
- "today" is `today(establishment)`; the date of a moment is `date_of(moment, establishment)`;
- a day count is a difference of two dates (`days_between`), never of two moments divided by
  24 hours (a day of a daylight-saving change lasts 23 or 25 hours);
- the moment a day starts is `start_of_day(day, establishment)`.

Without an establishment, the zone is the one active for the request (the middleware
activates the acting establishment's) or, outside a request, `settings.TIME_ZONE`.
"""

import calendar
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The zones of French establishments (metropolitan France and the overseas departments and
# collectivities that have ESMS). IANA names: stable codes, French labels.
FRENCH_TIME_ZONES = [
    ("Europe/Paris", _("France métropolitaine et Corse (Europe/Paris)")),
    ("America/Guadeloupe", _("Guadeloupe, Saint-Martin, Saint-Barthélemy (America/Guadeloupe)")),
    ("America/Martinique", _("Martinique (America/Martinique)")),
    ("America/Cayenne", _("Guyane (America/Cayenne)")),
    ("Indian/Reunion", _("La Réunion (Indian/Reunion)")),
    ("Indian/Mayotte", _("Mayotte (Indian/Mayotte)")),
    ("America/Miquelon", _("Saint-Pierre-et-Miquelon (America/Miquelon)")),
    ("Pacific/Noumea", _("Nouvelle-Calédonie (Pacific/Noumea)")),
    ("Pacific/Tahiti", _("Polynésie française (Pacific/Tahiti)")),
    ("Pacific/Wallis", _("Wallis-et-Futuna (Pacific/Wallis)")),
]
DEFAULT_TIME_ZONE = "Europe/Paris"


def zone_of(establishment=None) -> ZoneInfo:
    """The time zone of an establishment (anything with a `time_zone` name), else the active
    zone."""
    name = getattr(establishment, "time_zone", "") if establishment is not None else ""
    if name:
        return ZoneInfo(name)
    return timezone.get_current_timezone()


def now() -> datetime:
    """The current moment (aware, UTC)."""
    return timezone.now()


def today(establishment=None) -> date:
    """Today's date where the establishment is."""
    return timezone.localtime(timezone.now(), zone_of(establishment)).date()


def date_of(moment: datetime, establishment=None) -> date:
    """The establishment's calendar day of a stored moment."""
    if not isinstance(moment, datetime):
        raise TypeError("date_of() takes a datetime; a date is already a day.")
    return timezone.localtime(moment, zone_of(establishment)).date()


def start_of_day(day: date, establishment=None) -> datetime:
    """The moment the establishment's day begins (aware): 00:00 local time."""
    return datetime.combine(day, time.min, tzinfo=zone_of(establishment))


def days_between(start: date, end: date) -> int:
    """Whole days from `start` to `end` (negative if `end` comes first). Dates only: a
    difference of moments counts 24-hour periods, which is not a number of days."""
    if isinstance(start, datetime) or isinstance(end, datetime):
        raise TypeError("days_between() counts calendar days: give dates, not moments.")
    return (end - start).days


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer): a delay of
    "one month" from 31 January ends on 28 or 29 February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
