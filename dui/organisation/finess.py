"""FINESS number format (Fichier national des établissements sanitaires et sociaux).

A FINESS number has 9 characters: the department code first — 01 to 95 (20 does not exist
since Corsica was split), 2A or 2B for Corsica, or 971 to 976 overseas (the third
character then belongs to the department) — then digits up to 9 characters.
Source: DREES, « Nomenclature FINESS — structure du numéro FINESS ».
"""

import re

_FINESS = re.compile(r"^(?:(?:0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5])\d{7}|97[1-6]\d{6})$")


def normalise_finess(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def is_valid_finess(value: str) -> bool:
    return bool(_FINESS.match(normalise_finess(value)))


def department_of(value: str) -> str:
    number = normalise_finess(value)
    return number[:3] if number.startswith("97") else number[:2]
