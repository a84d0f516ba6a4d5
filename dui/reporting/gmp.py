"""GMP (GIR moyen pondéré): the weighted mean GIR of an establishment. Pure Python, no Django.

CASF art. R314-170-1 (décret n° 2016-1814; before 2017 art. R314-171 said the same): « Le
niveau de perte d'autonomie moyen des personnes hébergées est calculé en rapportant la somme
des points obtenus par la valorisation du niveau de perte d'autonomie de chaque personne,
prévue à la colonne C du tableau, au nombre de personnes hébergées. Cette moyenne est dénommée
" groupe iso-ressources moyen pondéré " (GMP) de l'établissement. »

So the denominator is EVERY person hosted on the date, and the sum counts the points of each
person's GIR. A hosted person whose GIR has not been validated yet brings no points but still
counts in the denominator: while there is one, the figure is only **provisional** (it can only
go up once they are evaluated) and says how many are missing. Without any validated GIR there
is no figure at all.

Points per GIR: CASF annexe 3-6, column C (« points GMP »), transcribed in
../shared/data/aggir/gmp_points.csv (copy in dui/assessments/data/gmp_points.csv); a test
checks this table against that file.

Rounding: the texts give no rule for the published figure (non vérifié); we keep the exact
fraction and show it to two decimals, half up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

GIR_POINTS: dict[int, int] = {1: 1000, 2: 840, 3: 660, 4: 420, 5: 250, 6: 70}
GIRS = tuple(GIR_POINTS)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class GmpFigures:
    """The GIR distribution of the persons hosted and the GMP it gives."""

    distribution: dict[int, int] = field(default_factory=dict)  # GIR → persons
    without_gir: int = 0  # hosted, no validated GIR yet: "à évaluer"

    @property
    def with_gir(self) -> int:
        return sum(self.distribution.get(g, 0) for g in GIRS)

    @property
    def hosted(self) -> int:
        """The denominator of R314-170-1: every person hosted on the date."""
        return self.with_gir + self.without_gir

    @property
    def points(self) -> int:
        return sum(GIR_POINTS[g] * self.distribution.get(g, 0) for g in GIRS)

    @property
    def provisional(self) -> bool:
        """Some hosted persons have no validated GIR: the figure is not final."""
        return self.without_gir > 0

    @property
    def gmp(self) -> Decimal | None:
        """Σ points ÷ persons hosted, to 2 decimals (half up); None without any validated
        GIR (nothing to weigh)."""
        if not self.with_gir:
            return None
        return (Decimal(self.points) / Decimal(self.hosted)).quantize(
            TWO_PLACES, rounding=ROUND_HALF_UP
        )

    def rows(self) -> list[tuple[int, int, int]]:
        """(GIR, persons, points) for GIR 1 to 6."""
        return [
            (g, self.distribution.get(g, 0), GIR_POINTS[g] * self.distribution.get(g, 0))
            for g in GIRS
        ]


def figures_from(girs_counts: dict[int, int], *, hosted: int) -> GmpFigures:
    """Figures from {GIR: persons} of the hosted persons with a validated GIR and the number
    of persons hosted."""
    distribution = {g: int(girs_counts.get(g, 0)) for g in GIRS}
    with_gir = sum(distribution.values())
    if with_gir > hosted:
        raise ValueError("more persons with a GIR than persons hosted")
    return GmpFigures(distribution, hosted - with_gir)
