"""Reads of the management figures. Counts only: no person's identity leaves these selectors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Subquery

from dui.access.policy import active_assignments
from dui.assessments.models import Assessment, AssessmentStatus
from dui.stays.models import Stay

from .gmp import GIRS, GmpFigures, figures_from

# Who sees the establishment's GMP: its management (director, cadre or chef de service, DPO)
# and the professions that evaluate and validate the GIR or run the care team.
GMP_ROLES = ("director", "manager", "dpo")
GMP_PROFESSIONS = frozenset({"medecin_coordonnateur", "idec", "cadre_sante"})
# The GMP values the dependence of elderly persons (EHPAD; résidences autonomie also report
# the GIR of their residents): an IME or a MAS has none.
GMP_CATEGORIES = frozenset({"ehpad", "residence_autonomie"})
# Art. R314-171 counts the persons "hébergées": permanent and temporary accommodation; persons
# in day care (accueil de jour) are not accommodated and are left out.
HOSTED_KINDS = ("permanent", "temporary")


def gmp_establishment_ids(user) -> set[int]:
    """Establishments for elderly persons whose GMP this user may see (no query beyond the
    cached assignments and the user's profession)."""
    profession = getattr(user, "profession", None)
    evaluates = profession is not None and profession.code in GMP_PROFESSIONS
    return {
        a.establishment_id
        for a in active_assignments(user)
        if a.establishment.category in GMP_CATEGORIES and (evaluates or a.role in GMP_ROLES)
    }


@dataclass(frozen=True)
class GmpResult:
    establishment: object
    on: date
    figures: GmpFigures

    @property
    def gmp(self):
        return self.figures.gmp

    @property
    def distribution(self) -> dict[int, int]:
        return self.figures.distribution

    @property
    def without_gir(self) -> int:
        return self.figures.without_gir


def present_stays(*, establishment, on: date):
    """Stays of persons accommodated in the establishment on that day: the stays under way
    that day (`Stay.objects.current`, the one rule), less those ending that day — the GMP
    counts the persons hosted, and a person who leaves during the day is no longer hosted at
    its end (the exit day is not a day of accommodation)."""
    return (
        Stay.objects.current(on)
        .filter(establishment=establishment, kind__in=HOSTED_KINDS)
        .exclude(ended_on=on)
    )


def gmp(*, establishment, on: date) -> GmpResult:
    """The GIR distribution of the persons present on `on` and the GMP, from each person's last
    VALIDATED AGGIR assessment dated on or before `on` (a draft, a replaced or an erroneous
    assessment never counts). One query whatever the number of residents: the present stays,
    each with its person's last GIR (an index lookup per person), grouped by GIR; the persons
    without one are the group without a GIR."""
    last_gir = (
        Assessment.objects.filter(
            person_id=OuterRef("person_id"),
            instrument_code="aggir",
            status=AssessmentStatus.VALIDATED,
            assessed_on__lte=on,
        )
        .order_by("-assessed_on", "-pk")
        .values("score")[:1]
    )
    rows = (
        present_stays(establishment=establishment, on=on)
        .annotate(gir=Subquery(last_gir))
        .values("gir")
        .annotate(persons=Count("person_id", distinct=True))
        .order_by()
    )
    girs, present = {}, 0
    for row in rows:
        present += row["persons"]
        gir = int(row["gir"]) if row["gir"] is not None else None
        if gir in GIRS:
            girs[gir] = girs.get(gir, 0) + row["persons"]
    return GmpResult(establishment, on, figures_from(girs, present=present))
