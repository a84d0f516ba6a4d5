"""What a search box query means, without Django: names, a birth date, a NIR, a room.

`normalise_name` gives the accent- and case-free form stored in `Person.search_name` (the same
on SQLite and PostgreSQL). `parse_search` reads what a professional types in the global search
box and says what to look for; `dui.people.selectors.person_search` turns it into one query.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from .nir import nir_key

# Letters NFKD leaves whole (ligatures, stroked letters) but that people type with plain
# letters: « Lætitia » is found with "laetitia", « Michał » with "michal".
_PLAIN_LETTERS = str.maketrans(
    {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ı": "i", "ħ": "h"}
)


def normalise_name(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (value or "").lower().translate(_PLAIN_LETTERS))
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in ascii_only)
    return " ".join(cleaned.split())


# The first 13 characters of a NIR: sex, year, month, department (2A/2B for Corsica), commune,
# order number; then 2 digits of key. Separators people type: spaces, dots, dashes.
_NIR_13 = re.compile(r"^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}$")
_NIR_SEPARATORS = re.compile(r"[\s.\-]")
# 12/04/1936, 12.04.36, 12-4-1936; 00 for an unknown day or month (RNIV partial dates).
_FRENCH_DATE = re.compile(r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{2}|[0-9]{4})$")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_YEAR = re.compile(r"^[0-9]{4}$")
# « ch 12 », « chambre 12 », « ch.12 », « lit 3 », « place AJ 2 »: the words before a room.
_ROOM_WORDS = re.compile(r"^(?:chambre|chbre|chb|ch|lit|place|pl)\b\.?\s*", re.IGNORECASE)
ROOM_LABEL_MAX_LENGTH = 40
EARLIEST_BIRTH_YEAR = 1880


@dataclass(frozen=True)
class DateSpan:
    """Birth dates from `first` to `last` included: one day, a month or a year."""

    first: date
    last: date


@dataclass(frozen=True)
class SearchTerms:
    """What to look for. Several kinds may be set: a person matches if they match all the
    name words and dates given, or the NIR, or the room (see `person_search`)."""

    words: tuple[str, ...] = ()
    birth_dates: tuple[DateSpan, ...] = ()
    nir: str = ""
    room_labels: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.birth_dates or self.nir or self.room_labels)


def parse_search(query: str, *, today: date) -> SearchTerms:
    """Read a search box query.

    - A NIR (15 characters, or the first 13 without the key; spaces, dots, dashes allowed).
    - A room or place label: « ch 12 », « chambre 12 », « 12 », « AJ 1 » — any short query
      holding a digit that is not a date. A 4-digit number is also read as a birth year.
    - Otherwise name words (each must begin a word of the names) and birth dates
      (« dupont 12/04/1936 », « 12/04/36 », « 1936 » beside a name).
    """
    text = " ".join((query or "").split())
    if not text:
        return SearchTerms()
    nir = _as_nir(text)
    if nir:
        return SearchTerms(nir=nir)
    if _YEAR.match(text):
        # « 1938 » is a birth year, or a room numbered 1938.
        return SearchTerms(room_labels=(text,), birth_dates=parse_birth_dates(text, today=today))
    whole_date = parse_birth_dates(text, today=today)
    if whole_date:
        return SearchTerms(birth_dates=whole_date)
    if _looks_like_room(text):
        return SearchTerms(room_labels=_room_labels(text))
    words, dates = [], []
    for token in text.split():
        spans = parse_birth_dates(token, today=today)
        if spans:
            dates.extend(spans)
        else:
            words.extend(normalise_name(token).split())
    return SearchTerms(words=tuple(dict.fromkeys(words)), birth_dates=tuple(dates))


def parse_birth_dates(value: str, *, today: date) -> tuple[DateSpan, ...]:
    """The birth dates a typed date may mean; () when it is not a date.

    A 2-digit year is 20yy when that is not in the future, and 19yy too in that case (a
    person born in 1925 and a child born in 2025 are both possible): « 12/04/36 » is 1936,
    « 12/04/15 » is 2015 or 1915. A day or month 00 stands for unknown (RNIV): the whole
    month or year."""
    value = value.strip()
    iso = _ISO_DATE.match(value)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
        span = _span(year, month, day, today=today)
        return (span,) if span else ()
    if _YEAR.match(value):
        span = _span(int(value), 0, 0, today=today)
        return (span,) if span else ()
    french = _FRENCH_DATE.match(value)
    if not french:
        return ()
    day, month, year_text = int(french[1]), int(french[2]), french[3]
    if len(year_text) == 4:
        years = [int(year_text)]
    else:
        short = int(year_text)
        years = [2000 + short, 1900 + short] if 2000 + short <= today.year else [1900 + short]
    spans = (_span(year, month, day, today=today) for year in years)
    return tuple(span for span in spans if span)


def _span(year: int, month: int, day: int, *, today: date) -> DateSpan | None:
    if year < EARLIEST_BIRTH_YEAR or year > today.year:
        return None
    if month == 0 and day == 0:
        return DateSpan(date(year, 1, 1), date(year, 12, 31))
    if not 1 <= month <= 12:
        return None
    if day == 0:
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return DateSpan(date(year, month, 1), date.fromordinal(following.toordinal() - 1))
    try:
        day_of_birth = date(year, month, day)
    except ValueError:
        return None
    if day_of_birth > today:
        return None
    return DateSpan(day_of_birth, day_of_birth)


def _as_nir(text: str) -> str:
    """The 15-character NIR the text is, or "" (13 characters get their key computed)."""
    compact = _NIR_SEPARATORS.sub("", text).upper()
    if len(compact) == 15 and _NIR_13.match(compact[:13]) and compact[13:].isdigit():
        return compact
    if len(compact) == 13 and _NIR_13.match(compact):
        return f"{compact}{nir_key(compact):02d}"
    return ""


def _looks_like_room(text: str) -> bool:
    if len(text) > ROOM_LABEL_MAX_LENGTH:
        return False
    if _ROOM_WORDS.match(text) and any(ch.isdigit() for ch in text):
        return True
    # « 12 », « 101 », « 12 b », « AJ 1 »: short, with a digit, at most two words.
    return any(ch.isdigit() for ch in text) and len(text.split()) <= 2 and len(text) <= 8


def _room_labels(text: str) -> tuple[str, ...]:
    """The labels a place may carry for this query: as typed, and without « ch », « chambre »."""
    bare = _ROOM_WORDS.sub("", text).strip()
    return tuple(dict.fromkeys(label for label in (text, bare) if label))
