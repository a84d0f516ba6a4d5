"""Believable identities for demo persons: a COG birthplace and a NIR that agrees with it.

The NIR (INSEE, « Le numéro d'inscription au répertoire ») is: sex (1 man, 2 woman), the last
two digits of the birth year, the birth month, the department of birth and the commune (the
5 characters of the COG code: 2A/2B for Corsica, 97x for overseas, the arrondissement for Paris,
Lyon and Marseille; 99 and the country code for persons born abroad), an order number 001–999,
then the key (`dui.people.nir.nir_key`). Persons born in Corsica before 1976, when the
department 20 was split into 2A and 2B, kept 20 in their NIR.

These NIRs are valid in form but belong to nobody: they are stored with the demonstration OID.
"""

import random
from collections.abc import Iterable
from datetime import date

from dui.people import nir
from dui.people.birthplaces import birthplace

CORSICA_SPLIT_YEAR = 1976


def nir_department_and_commune(birthplace_code: str, birth_year: int) -> str:
    """Characters 6 to 10 of the NIR for a birthplace (COG code) and a birth year."""
    place = birthplace(birthplace_code)
    if place is None:
        raise ValueError(f"Lieu de naissance inconnu du COG : {birthplace_code}")
    code = place.code
    if code[:2] in ("2A", "2B") and birth_year < CORSICA_SPLIT_YEAR:
        return "20" + code[2:]
    return code


def nir_for(*, sex: str, birth_date: date, birthplace_code: str, order: int) -> str:
    """The 15-character NIR of these traits with this order number (1–999)."""
    if sex not in ("F", "M"):
        raise ValueError("Le NIR d'un usager de démonstration suppose un sexe F ou M.")
    if not 1 <= order <= 999:
        raise ValueError("Le numéro d'ordre du NIR va de 001 à 999.")
    first_13 = (
        ("2" if sex == "F" else "1")
        + f"{birth_date.year % 100:02d}{birth_date.month:02d}"
        + nir_department_and_commune(birthplace_code, birth_date.year)
        + f"{order:03d}"
    )
    return f"{first_13}{nir.nir_key(first_13):02d}"


class NirAllocator:
    """Hands out NIRs never handed out before (the INS is unique among persons)."""

    def __init__(self, rng: random.Random, taken: Iterable[str] = ()):
        self.rng = rng
        self.taken = {value[:13] for value in taken if value}

    def allocate(self, *, sex: str, birth_date: date, birthplace_code: str) -> str:
        for _ in range(999):
            order = self.rng.randint(1, 999)
            value = nir_for(
                sex=sex, birth_date=birth_date, birthplace_code=birthplace_code, order=order
            )
            if value[:13] not in self.taken:
                self.taken.add(value[:13])
                return value
        raise RuntimeError(f"Plus de numéro d'ordre libre pour {value[:10]}.")
