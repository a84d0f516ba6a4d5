"""NIR (numéro d'inscription au répertoire, the INS matricule) checks, without Django.

The key is 97 − (the first 13 characters as a number, mod 97), Corsica's 2A and 2B counting as
19 and 18 (INSEE, "Le numéro d'inscription au répertoire"; decree 82-103). The arithmetic is
python-stdnum's `stdnum.fr.nir`, which implements exactly that rule.
"""

import re

from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import nir as stdnum_nir

# FR Core identifier slices (hl7.fhir.fr.core, FRCorePatientINSProfile): the OID tells which
# national register the INS comes from.
INS_OID_NIR = "1.2.250.1.213.1.4.8"
INS_OID_NIA = "1.2.250.1.213.1.4.9"
INS_OID_TEST = "1.2.250.1.213.1.4.10"
INS_OID_DEMO = "1.2.250.1.213.1.4.11"

# Sex/year/month (5 digits), department (2 digits, or 2A/2B for Corsica), commune and order
# number (6 digits).
_FIRST_13 = re.compile(r"[0-9]{5}([0-9]{2}|2A|2B)[0-9]{6}")


def compact(value: str) -> str:
    """The NIR without separators — spaces of any kind (as pasted from a PDF), dots, dashes —
    upper case (2a → 2A)."""
    return stdnum_nir.compact("".join((value or "").split())).replace("-", "")


def is_valid_nir(value: str) -> bool:
    """15 characters (spaces tolerated) whose last two are the right key."""
    try:
        stdnum_nir.validate(compact(value))
    except StdnumValidationError:
        return False
    return True


def nir_key(first_13: str) -> int:
    """The key of a NIR from its first 13 characters (2A/2B allowed in the department).

    Raises ValueError for anything that is not 13 such characters: a key computed from a
    shorter or longer number would look valid and be wrong."""
    number = compact(first_13)
    if not _FIRST_13.fullmatch(number):
        raise ValueError(f"A NIR key needs the first 13 characters of the NIR, not {first_13!r}.")
    return int(stdnum_nir.calc_check_digits(number))


def format_nir(value: str) -> str:
    """Grouped as printed on the carte Vitale: 1 84 12 76 451 089 46."""
    v = compact(value)
    if len(v) != 15:
        return value
    return " ".join([v[0], v[1:3], v[3:5], v[5:7], v[7:10], v[10:13], v[13:15]])
