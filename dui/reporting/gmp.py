"""GMP (GIR moyen pondéré): the weighted mean GIR of an establishment. Pure Python, no Django.

CASF art. R314-171: "Le total des points dans les différents groupes correspondant à la
valorisation prévue à la colonne C du tableau de l'annexe 3-6 de toutes les personnes âgées
dépendantes hébergées dans l'établissement divisé par le nombre de personnes hébergées permet
d'obtenir une valeur correspondant à la dépendance moyenne des personnes accueillies […]
dénommée groupe iso-ressources (GIR) moyen pondéré de l'établissement."

Points per GIR: CASF annexe 3-6, column C (« points GMP »), transcribed in
../shared/data/aggir/gmp_points.csv (copy in dui/assessments/data/gmp_points.csv); a test
checks this table against that file.

Persons without a validated GIR cannot be valued: they are left out of the sum and of the
denominator (the GMP is the mean of the persons who have one) and reported apart as "à évaluer".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

GIR_POINTS: dict[int, int] = {1: 1000, 2: 840, 3: 660, 4: 420, 5: 250, 6: 70}
GIRS = tuple(GIR_POINTS)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class GmpFigures:
    """The GIR distribution of the persons present and the GMP it gives."""

    distribution: dict[int, int] = field(default_factory=dict)  # GIR → persons
    without_gir: int = 0  # present, no validated GIR: "à évaluer"

    @property
    def with_gir(self) -> int:
        return sum(self.distribution.get(g, 0) for g in GIRS)

    @property
    def present(self) -> int:
        return self.with_gir + self.without_gir

    @property
    def points(self) -> int:
        return sum(GIR_POINTS[g] * self.distribution.get(g, 0) for g in GIRS)

    @property
    def gmp(self) -> Decimal | None:
        """Σ points ÷ persons with a GIR, to 2 decimals (half up); None without any GIR."""
        if not self.with_gir:
            return None
        return (Decimal(self.points) / Decimal(self.with_gir)).quantize(
            TWO_PLACES, rounding=ROUND_HALF_UP
        )

    def rows(self) -> list[tuple[int, int, int]]:
        """(GIR, persons, points) for GIR 1 to 6."""
        return [
            (g, self.distribution.get(g, 0), GIR_POINTS[g] * self.distribution.get(g, 0))
            for g in GIRS
        ]


def figures_from(girs_counts: dict[int, int], *, present: int) -> GmpFigures:
    """Figures from {GIR: persons} of the persons present with a GIR and the number present."""
    distribution = {g: int(girs_counts.get(g, 0)) for g in GIRS}
    with_gir = sum(distribution.values())
    if with_gir > present:
        raise ValueError("more persons with a GIR than persons present")
    return GmpFigures(distribution, present - with_gir)
