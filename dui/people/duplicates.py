"""Probable duplicates of an identity being entered (RNIV: search before creating).

A candidate is a person of the caller's scope born on the same date (or in the same month or
year when a date is partial) whose birth or used name, or whose first birth first name (the
trait of its own, `Person.first_birth_first_name`: « Jean Pierre » whole, not « Jean »), looks
like the one entered. Names "look alike" when, accents, case, hyphens and apostrophes ignored, they
are:

- the same;
- the same French phonetic key (Soundex2, `phonetic.py`), for spellings of one sound
  (Dupont / Dupond, Gauthier / Gautier) — keys of one letter are too coarse and do not count;
- one keystroke apart: an optimal-string-alignment distance (Damerau–Levenshtein without
  reuse) of 1 — one letter inserted, deleted, replaced, or two neighbours swapped — or 2 for
  names of 8 letters or more. Damerau (1964, "A technique for computer detection and
  correction of spelling errors", CACM 7(3)) found that about 80 % of misspellings are one
  such error; a second error becomes likely in a long name. Names under 4 letters need the
  same spelling or the same key: one letter apart, "Léa" and "Lou" are different names.

Why so permissive: the same birth date already leaves a handful of persons in tens of
thousands, a false alarm costs the user one look, and a missed duplicate is an identity
vigilance incident. The distance says "Dupont" / "Dupnot" (typo), "Lefebvre" / "Lefèvre"
(Soundex2 keeps the silent B: LFBV / LFVR) and "Martin" / "Matrin" apart from "Dupont" /
"Durand" without a tuned score — a Jaro–Winkler or Indel ratio threshold would have to be
chosen per name length, and Jaro–Winkler misses a typo on the first letter.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from rapidfuzz.distance import OSA

from .models import BirthDatePrecision, Person
from .phonetic import phonetic_key
from .search import normalise_name

SAME, PHONETIC, TYPO = 3, 2, 1
_HOW = {SAME: "", PHONETIC: " (phonétique)", TYPO: " (faute de frappe probable)"}

SHORT_NAME = 4  # letters: below, only the same spelling or the same phonetic key
LONG_NAME = 8  # letters: from here, two keystroke errors are tolerated


@dataclass
class Match:
    person: Person
    reasons: list[str] = field(default_factory=list)
    score: int = 0


def probable_duplicates(
    *,
    candidates: QuerySet,
    birth_date: date,
    birth_name: str,
    first_names: str,
    used_name: str = "",
    first_birth_first_name: str = "",
    birth_date_precision: str = BirthDatePrecision.DAY,
    exclude_pk=None,
    limit: int = 10,
) -> list[Match]:
    """The persons of `candidates` (already scoped by the caller) that may be the person being
    entered, strongest first. One query, on the indexed birth date."""
    persons = candidates.filter(_birth_date_q(birth_date, birth_date_precision))
    persons = persons.filter(merged_into__isnull=True)
    if exclude_pk is not None:
        persons = persons.exclude(pk=exclude_pk)

    names = [n for n in dict.fromkeys([normalise_name(birth_name), normalise_name(used_name)]) if n]
    first_name = normalise_name(first_birth_first_name or _first(first_names))
    matches = []
    for person in persons:
        name_level, name_field = _best(
            names, [(person.birth_name, "nom de naissance"), (person.used_name, "nom utilisé")]
        )
        first_level, first_field = _best(
            [first_name],
            [
                (person.first_first_name, "premier prénom"),
                (person.used_first_name, "prénom utilisé"),
            ],
        )
        if not (name_level or first_level):
            continue
        match = Match(person=person, score=name_level + first_level)
        match.reasons.append(_date_reason(birth_date_precision, person.birth_date_precision))
        if name_level:
            match.reasons.append(_reason(name_field, name_level))
        if first_level:
            match.reasons.append(_reason(first_field, first_level))
        matches.append(match)
    matches.sort(key=lambda m: (-m.score, m.person.birth_name, m.person.first_names))
    return matches[:limit]


def _first(first_names: str) -> str:
    """A caller that does not give the first birth first name: the list's first word."""
    return next(iter((first_names or "").split()), "")


def _best(entered: list[str], theirs: list[tuple[str, str]]) -> tuple[int, str]:
    """The closest likeness between the entered names and the person's, with the person's field
    it was found in (the first listed wins a tie)."""
    best = (0, "")
    for value, label in theirs:
        theirs_normalised = normalise_name(value)
        for name in entered:
            level = _likeness(name, theirs_normalised)
            if level > best[0]:
                best = (level, label)
    return best


def _likeness(a: str, b: str) -> int:
    """SAME, PHONETIC, TYPO or 0 for two normalised names."""
    if not a or not b:
        return 0
    a_letters, b_letters = a.replace(" ", ""), b.replace(" ", "")
    if a_letters == b_letters:
        return SAME
    key = phonetic_key(a)
    if len(key) >= 2 and key == phonetic_key(b):
        return PHONETIC
    shortest = min(len(a_letters), len(b_letters))
    if shortest >= SHORT_NAME:
        allowed = 2 if shortest >= LONG_NAME else 1
        if OSA.distance(a_letters, b_letters) <= allowed:
            return TYPO
    return 0


def _reason(what: str, level: int) -> str:
    if level == SAME:
        return f"même {what}"
    return f"{what} proche{_HOW[level]}"


def _birth_date_q(day: date, precision: str) -> Q:
    """Dates that may be the same birth date. A partial date is stored as the first day of its
    period (models.BirthDatePrecision): 00/05/1950 is 1950-05-01, 00/00/1950 is 1950-01-01."""
    in_year = Q(birth_date_precision=BirthDatePrecision.YEAR, birth_date=date(day.year, 1, 1))
    if precision == BirthDatePrecision.YEAR:
        return Q(birth_date__year=day.year)
    if precision == BirthDatePrecision.MONTH:
        last_day = calendar.monthrange(day.year, day.month)[1]
        month = (date(day.year, day.month, 1), date(day.year, day.month, last_day))
        return Q(birth_date__range=month) | in_year
    in_month = Q(
        birth_date_precision=BirthDatePrecision.MONTH, birth_date=date(day.year, day.month, 1)
    )
    return Q(birth_date=day) | in_month | in_year


def _date_reason(precision: str, their_precision: str) -> str:
    order = [BirthDatePrecision.DAY, BirthDatePrecision.MONTH, BirthDatePrecision.YEAR]
    coarsest = max(precision, their_precision, key=order.index)
    if coarsest == BirthDatePrecision.YEAR:
        return "même année de naissance (jour et mois inconnus)"
    if coarsest == BirthDatePrecision.MONTH:
        return "même mois de naissance (jour inconnu)"
    return "même date de naissance"
