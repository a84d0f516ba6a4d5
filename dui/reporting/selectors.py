"""Reads of the management figures: counts, and — for the persons the user may see — who the
GMP still waits for (`persons_to_evaluate`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Subquery

from dui.access.policy import active_assignments, persons_visible_to
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
# What the list of persons to evaluate shows of a person (display_name, link).
PERSON_FIELDS = ("public_id", "birth_name", "used_name", "first_names", "used_first_name")
# Who counts as "hébergée" (R314-170-1, « nombre de personnes hébergées »): the persons with a
# stay under way on the date (`Stay.objects.current`, the one definition: the entry day and the
# exit day both count) in permanent or temporary accommodation — hébergement temporaire is
# accommodation (CASF D312-8 I: accueil temporaire « avec ou sans hébergement »); persons in
# day care (accueil de jour) are not accommodated and are left out. Whether the financers
# count temporary residents is « non vérifié » (the 2013 validation arrêté samples
# « résidents hébergés à titre permanent »; R314-173 multiplies by the permanent capacity):
# the cautious reading of R314-170-1's own words is kept, in this one constant.
HOSTED_KINDS = ("permanent", "temporary")
# Only a GIR validated by the médecin coordonnateur counts: he « évalue et valide l'état de
# dépendance des résidents » (CASF D312-158 4°) and the evaluations are made « sous la
# responsabilité du médecin coordonnateur » (R314-170). An AGGIR grid validated by another
# doctor (the instrument allows the médecin traitant to validate it for care) waits for his.
GIR_VALIDATOR_PROFESSION = "medecin_coordonnateur"


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

    @property
    def provisional(self) -> bool:
        return self.figures.provisional


def hosted_stays(*, establishment, on: date):
    """Stays of the persons hosted in the establishment on that day (see HOSTED_KINDS)."""
    return Stay.objects.current(on).filter(establishment=establishment, kind__in=HOSTED_KINDS)


# The name before issue 11 (callers in the assessments tests).
present_stays = hosted_stays


def _last_validated_gir(on: date):
    """Subquery: the GIR of the person's last AGGIR grid validated by the médecin
    coordonnateur and dated on or before `on` (a draft, a replaced or an erroneous grid never
    counts)."""
    return (
        Assessment.objects.filter(
            person_id=OuterRef("person_id"),
            instrument_code="aggir",
            status=AssessmentStatus.VALIDATED,
            validated_by__profession__code=GIR_VALIDATOR_PROFESSION,
            assessed_on__lte=on,
        )
        .order_by("-assessed_on", "-pk")
        .values("score")[:1]
    )


def gmp(*, establishment, on: date) -> GmpResult:
    """The GIR distribution of the persons hosted on `on` and the GMP (R314-170-1: Σ points ÷
    persons hosted, provisional while some have no validated GIR). One query whatever the
    number of residents: the hosted stays, each with its person's last validated GIR (an
    index lookup per person), grouped by GIR; the persons without one are the group without
    a GIR."""
    rows = (
        hosted_stays(establishment=establishment, on=on)
        .annotate(gir=Subquery(_last_validated_gir(on)))
        .values("gir")
        .annotate(persons=Count("person_id", distinct=True))
        .order_by()
    )
    girs, hosted = {}, 0
    for row in rows:
        hosted += row["persons"]
        gir = int(row["gir"]) if row["gir"] is not None else None
        if gir in GIRS:
            girs[gir] = girs.get(gir, 0) + row["persons"]
    return GmpResult(establishment, on, figures_from(girs, hosted=hosted))


def persons_to_evaluate(*, user, establishment, on: date):
    """The hosted persons without a validated GIR on `on` whom the user may see
    (`persons_visible_to`), by name: those the GMP still waits for. The others are only
    counted (`GmpResult.without_gir`)."""
    waiting = (
        hosted_stays(establishment=establishment, on=on)
        .annotate(gir=Subquery(_last_validated_gir(on)))
        .filter(gir__isnull=True)
        .values("person_id")
    )
    return (
        persons_visible_to(user=user)
        .filter(pk__in=waiting)
        .only(*PERSON_FIELDS)
        .order_by("birth_name", "first_names", "pk")
    )
