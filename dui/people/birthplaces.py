"""Birthplace codes (RNIV trait "lieu de naissance"): INSEE COG commune codes for persons born in
France, COG country codes (99xxx) for persons born abroad.

The list ships with the app (data/cog-birthplaces-2025.csv.gz, see data/SOURCE.txt) and is read
once into memory: it is reference data, not records, so it survives database flushes and needs
no migration. To rebuild it from a new COG, concatenate the communes slim CSV (code, type_code,
name, simple_name, department_code) and the countries CSV (code, "PAYS", name, NAME, "") without
99100, gzip it, and update SOURCE.txt.
"""

import csv
import gzip
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .search import normalise_name

DATA_FILE = Path(__file__).resolve().parent / "data" / "cog-birthplaces-2025.csv.gz"
COG_YEAR = 2025

KIND_LABELS = {
    "COM": "commune",
    "ARM": "arrondissement municipal",
    "COMD": "commune déléguée",
    "COMA": "commune associée",
    "PAYS": "pays ou territoire",
}


@dataclass(frozen=True, slots=True)
class Birthplace:
    code: str
    kind: str
    name: str
    department_code: str
    search_name: str

    @property
    def is_abroad(self) -> bool:
        return self.kind == "PAYS"

    @property
    def label(self) -> str:
        if self.is_abroad:
            return f"{self.name} (né·e à l'étranger, {self.code})"
        return f"{self.name} ({self.department_code}, {self.code})"


@cache
def _directory() -> dict[str, Birthplace]:
    places: dict[str, Birthplace] = {}
    with gzip.open(DATA_FILE, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            # A commune déléguée can share its code with the new commune: keep the commune.
            places.setdefault(
                row["code"],
                Birthplace(
                    code=row["code"],
                    kind=row["type_code"],
                    name=row["name"],
                    department_code=row["department_code"],
                    search_name=normalise_name(row["name"]),
                ),
            )
    return places


def birthplace(code: str) -> Birthplace | None:
    return _directory().get((code or "").strip().upper())


def is_known_birthplace(code: str) -> bool:
    return birthplace(code) is not None


def search_birthplaces(query: str, *, limit: int = 15) -> list[Birthplace]:
    """Places whose name starts with the query (accents/case ignored), or whose code does."""
    query = (query or "").strip()
    if not query:
        return []
    if query[:2].isdigit() or query.upper().startswith(("2A", "2B")):
        code = query.upper()
        return sorted(
            (p for p in _directory().values() if p.code.startswith(code)),
            key=lambda p: (p.kind != "COM", p.code),
        )[:limit]
    wanted = normalise_name(query)
    matches = [p for p in _directory().values() if p.search_name.startswith(wanted)]
    # Current communes and countries before delegated or associated ones, then by name.
    matches.sort(key=lambda p: (p.kind not in ("COM", "ARM", "PAYS"), len(p.name), p.name))
    return matches[:limit]
