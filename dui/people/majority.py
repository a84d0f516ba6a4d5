"""A person's age and majority on the date of an act, without Django.

Majority is at eighteen years (C. civ. art. 414: « La majorité est fixée à dix-huit ans
accomplis ; à cet âge, chacun est capable d'exercer les droits dont il a la jouissance. ») and
parental authority lasts « jusqu'à la majorité ou l'émancipation de l'enfant » (art. 371-1
al. 2). A person is eighteen on their eighteenth birthday; one born on 29 February turns
eighteen on 1 March of a common year, as `Person.age` counts it.

Some persons have no known day or month of birth (`BirthDatePrecision`: the stored date is then
the first day of the known period). Their eighteenth birthday falls somewhere in a month or a
year: during that span nobody can say whether they are adults. `majority_on` says so
(`UNCERTAIN`) rather than guessing, and every rule that depends on it takes the cautious path
in both directions (`protection.who_signs`: the person signs AND the holders of parental
authority sign; the trusted person designation and the minors' identity exceptions wait until
the person is certainly adult or minor). A document signed by both is valid whatever the
truth; one signed by the wrong party alone is not.
"""

import calendar
from datetime import date
from enum import StrEnum

MAJORITY_AGE = 18

# The precisions of `people.models.BirthDatePrecision` (kept as plain strings here).
DAY, MONTH, YEAR = "day", "month", "year"


class Majority(StrEnum):
    MINOR = "minor"
    ADULT = "adult"
    UNCERTAIN = "uncertain"


def age_on(born: date, on: date) -> int:
    """Whole years from `born` to `on` (the birthday itself counts)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def possible_birth_dates(born: date, precision: str = DAY) -> tuple[date, date]:
    """The first and the last day the person may have been born on."""
    if precision == YEAR:
        return date(born.year, 1, 1), date(born.year, 12, 31)
    if precision == MONTH:
        last = calendar.monthrange(born.year, born.month)[1]
        return date(born.year, born.month, 1), date(born.year, born.month, last)
    return born, born


def majority_on(born: date, on: date, precision: str = DAY) -> Majority:
    """Minor, adult, or uncertain (incomplete birth date) on the day `on`."""
    earliest, latest = possible_birth_dates(born, precision)
    if age_on(latest, on) >= MAJORITY_AGE:
        return Majority.ADULT
    if age_on(earliest, on) < MAJORITY_AGE:
        return Majority.MINOR
    return Majority.UNCERTAIN


def certainly_adult_from(born: date, precision: str = DAY) -> date:
    """The first day the person is certainly eighteen (1 March for a 29 February birth in a
    common year)."""
    _earliest, latest = possible_birth_dates(born, precision)
    year = latest.year + MAJORITY_AGE
    if (latest.month, latest.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 3, 1)
    return latest.replace(year=year)
