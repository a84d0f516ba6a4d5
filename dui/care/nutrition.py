"""Diagnosis of undernutrition (dénutrition) and its severity. Pure Python, no Django; the care
brick's alerts call it with the person's weights, height, albumin and MNA.

Texts followed (Haute Autorité de santé, recommandations de bonne pratique):
- adults aged 18 to 69: HAS, "Diagnostic de la dénutrition de l'enfant et de l'adulte",
  novembre 2019 (critères phénotypiques et étiologiques; critères de dénutrition modérée / sévère
  chez l'adulte);
- aged 70 and over: HAS / Fédération française de nutrition, "Diagnostic de la dénutrition chez la
  personne de 70 ans et plus", novembre 2021.
Children (< 18) follow other criteria in the 2019 text (IOTF curves, growth channels): refused here.

Both texts: undernutrition = at least 1 phenotypic criterion AND at least 1 etiological criterion.
Only then is the severity graded: severe if at least 1 severe criterion, otherwise moderate.
Albumin is a severity marker only, never a diagnostic criterion (both texts); the MNA is a
screening tool (2021 text), reported here as such and never used for the diagnosis.
The texts add that the diagnosis persists while the phenotypic criterion persists even when the
etiological one has gone: that needs the history of diagnoses, which is the caller's business.

How values are compared: the BMI (weight / height²) and the percentages of weight loss are
rounded to one decimal, as they are recorded and shown, and the thresholds apply to that value
(so what the nurse reads is what was decided). "In 1 month" means between two weighings at most
31 days apart, "in 6 months" at most 183 days apart: the largest loss from any weighing in that
window before the latest weighing is taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

HAS_2019_ADULT = (
    "HAS, « Diagnostic de la dénutrition de l'enfant et de l'adulte », novembre 2019 "
    "(adulte de 18 à 69 ans)"
)
HAS_2021_70_PLUS = (
    "HAS / FFN, « Diagnostic de la dénutrition chez la personne de 70 ans et plus », novembre 2021"
)

ADULT_AGE = 18
OLDER_AGE = 70  # "70 ans et plus": the 2021 text from the 70th birthday

ONE_MONTH = timedelta(days=31)
SIX_MONTHS = timedelta(days=183)

ONE_DECIMAL = Decimal("0.1")

# --- Thresholds, as written in the texts (same in 2019 and 2021 unless said) ---------------------

# Phenotypic weight loss: ≥ 5 % in 1 month, ≥ 10 % in 6 months, ≥ 10 % vs the usual weight
# before the disease began.
LOSS_1_MONTH_PHENOTYPIC = Decimal(5)
LOSS_6_MONTHS_PHENOTYPIC = Decimal(10)
LOSS_VS_USUAL_PHENOTYPIC = Decimal(10)
# Severe weight loss: ≥ 10 % in 1 month, ≥ 15 % in 6 months, ≥ 15 % vs the usual weight.
LOSS_1_MONTH_SEVERE = Decimal(10)
LOSS_6_MONTHS_SEVERE = Decimal(15)
LOSS_VS_USUAL_SEVERE = Decimal(15)

# 2019, adult < 70: phenotypic IMC < 18,5; moderate 17 < IMC < 18,5; severe IMC ≤ 17;
# albumin (immunonéphélémétrie / immunoturbidimétrie) moderate 30 < alb < 35 g/L, severe ≤ 30 g/L.
BMI_PHENOTYPIC_UNDER_70 = Decimal("18.5")
BMI_SEVERE_MAX_UNDER_70 = Decimal(17)  # included
ALBUMIN_SEVERE_MAX_UNDER_70 = Decimal(30)  # included
ALBUMIN_MODERATE_BELOW_UNDER_70 = Decimal(35)

# 2021, 70 and over: phenotypic IMC < 22; moderate 20 ≤ IMC < 22; severe IMC < 20;
# albumin severe < 30 g/L, moderate ≥ 30 g/L. (The ATIH coding guide restates the 2021 severe
# albumin as "≤ 30 g/L"; the HAS text says "< 30 g/L", which is followed here.)
BMI_PHENOTYPIC_70_PLUS = Decimal(22)
BMI_SEVERE_BELOW_70_PLUS = Decimal(20)
ALBUMIN_SEVERE_BELOW_70_PLUS = Decimal(30)

# MNA short form (0–14; Nestlé Nutrition Institute): 12–14 normal, 8–11 at risk, 0–7 malnourished.
MNA_SF_NORMAL_MIN = 12
MNA_SF_AT_RISK_MIN = 8


# The three states of `NutritionResult.status`.
NONE, TO_CONFIRM, UNDERNOURISHED = "none", "to_confirm", "undernourished"
STATUS_LABELS = {
    NONE: "Pas de critère de dénutrition",
    TO_CONFIRM: "Dénutrition à confirmer (critère phénotypique sans critère étiologique)",
    UNDERNOURISHED: "Dénutrition",
}

SEVERITY_LABELS = {"moderate": "Dénutrition modérée", "severe": "Dénutrition sévère"}
MNA_SF_LABELS = {
    "normal": "État nutritionnel normal (MNA-SF 12–14)",
    "at_risk": "Risque de malnutrition (MNA-SF 8–11)",
    "malnourished": "Dénutrition probable au dépistage (MNA-SF 0–7)",
}


@dataclass(frozen=True)
class Criterion:
    code: str  # stable English code
    label: str  # French, as the text says it


@dataclass(frozen=True)
class NutritionResult:
    reference: str  # the HAS text applied
    population: str  # "adult_under_70" | "70_and_over"
    weighed_on: date | None  # date of the weight used as current
    weight_kg: Decimal | None
    bmi: Decimal | None  # one decimal
    loss_1_month_pct: Decimal | None  # one decimal; None: no weighing in the window
    loss_6_months_pct: Decimal | None
    loss_vs_usual_pct: Decimal | None
    phenotypic: tuple[Criterion, ...]
    etiological: tuple[Criterion, ...]
    undernourished: bool  # ≥ 1 phenotypic + ≥ 1 etiological
    severity: str | None  # "moderate" | "severe" | None (not undernourished): SEVERITY_LABELS
    severe_criteria: tuple[Criterion, ...]
    moderate_criteria: tuple[Criterion, ...]
    mna_sf: int | None
    mna_sf_category: str | None  # "normal" | "at_risk" | "malnourished": screening only
    not_evaluated: tuple[str, ...]  # what could not be checked: "bmi", "loss_1_month", …

    @property
    def phenotypic_met(self) -> bool:
        return bool(self.phenotypic)

    @property
    def etiological_met(self) -> bool:
        return bool(self.etiological)

    @property
    def status(self) -> str:
        """One reading for the alert, the header and the record (issue 13):
        `NONE` (no phenotypic criterion), `TO_CONFIRM` (a phenotypic criterion without an
        etiological one: « dénutrition à confirmer » — both texts need both criteria) or
        `UNDERNOURISHED` (both: the diagnosis, graded by `severity`)."""
        if self.undernourished:
            return UNDERNOURISHED
        if self.phenotypic:
            return TO_CONFIRM
        return NONE


def assess_undernutrition(
    *,
    age: int,
    weights: Sequence[tuple[date, Decimal]],
    height_m: Decimal | None = None,
    albumin_g_l: Decimal | None = None,
    mna_sf: int | None = None,
    usual_weight_kg: Decimal | None = None,
    reduced_muscle: bool = False,
    reduced_intake: bool = False,
    reduced_absorption: bool = False,
    aggression: bool = False,
    on: date,
) -> NutritionResult:
    """Apply the HAS criteria for the person's age on `on`.

    weights: (date, kg) weighings in any order; those after `on` are ignored, the latest one on
    or before `on` is the current weight. usual_weight_kg: "poids habituel avant le début de la
    maladie". reduced_muscle: for 70 and over "sarcopénie confirmée" (reduced strength AND muscle
    mass, EWGSOP2 2019); under 70 "réduction quantifiée de la masse et/ou de la fonction
    musculaires". Etiological: reduced_intake (≥ 50 % for more than 1 week, or any reduction for
    more than 2 weeks), reduced_absorption (malabsorption / maldigestion), aggression (acute
    disease, progressive chronic or malignant disease, with or without inflammation).
    """
    if isinstance(age, bool) or not isinstance(age, int) or age < 0 or age > 130:
        raise ValueError(f"age must be a whole number of years, got {age!r}")
    if age < ADULT_AGE:
        raise ValueError(
            "under 18 the HAS 2019 paediatric criteria apply (IOTF curves): not implemented"
        )
    older = age >= OLDER_AGE
    weighings = _weighings(weights, on)
    current = max(weighings, key=lambda w: w[0]) if weighings else None
    height = _checked(height_m, "height_m", Decimal("0.5"), Decimal("2.5"))
    albumin = _checked(albumin_g_l, "albumin_g_l", Decimal(0), Decimal(100))
    usual = _checked(usual_weight_kg, "usual_weight_kg", Decimal(1), Decimal(500))
    if mna_sf is not None and (
        isinstance(mna_sf, bool) or not isinstance(mna_sf, int) or not 0 <= mna_sf <= 14
    ):
        raise ValueError(f"mna_sf must be a whole score from 0 to 14, got {mna_sf!r}")

    not_evaluated: list[str] = []
    weighed_on, weight = current if current else (None, None)
    bmi = _one_decimal(weight / (height * height)) if weight and height else None
    if bmi is None:
        not_evaluated.append("bmi")
    loss_1 = _largest_loss(weighings, current, ONE_MONTH) if current else None
    loss_6 = _largest_loss(weighings, current, SIX_MONTHS) if current else None
    loss_usual = (
        _one_decimal(max(usual - weight, Decimal(0)) / usual * 100) if weight and usual else None
    )
    for name, value in (
        ("loss_1_month", loss_1),
        ("loss_6_months", loss_6),
        ("loss_vs_usual", loss_usual),
    ):
        if value is None:
            not_evaluated.append(name)
    if albumin is None:
        not_evaluated.append("albumin")

    # Phenotypic criteria (1 suffices).
    phenotypic: list[Criterion] = []
    if loss_1 is not None and loss_1 >= LOSS_1_MONTH_PHENOTYPIC:
        phenotypic.append(Criterion("weight_loss_1_month", "Perte de poids ≥ 5 % en 1 mois"))
    if loss_6 is not None and loss_6 >= LOSS_6_MONTHS_PHENOTYPIC:
        phenotypic.append(Criterion("weight_loss_6_months", "Perte de poids ≥ 10 % en 6 mois"))
    if loss_usual is not None and loss_usual >= LOSS_VS_USUAL_PHENOTYPIC:
        phenotypic.append(
            Criterion(
                "weight_loss_vs_usual",
                "Perte de poids ≥ 10 % par rapport au poids habituel avant le début de la maladie",
            )
        )
    bmi_limit = BMI_PHENOTYPIC_70_PLUS if older else BMI_PHENOTYPIC_UNDER_70
    if bmi is not None and bmi < bmi_limit:
        phenotypic.append(Criterion("low_bmi", f"IMC < {_fr(bmi_limit)} kg/m²"))
    if reduced_muscle:
        phenotypic.append(
            Criterion("sarcopenia", "Sarcopénie confirmée (force et masse musculaires réduites)")
            if older
            else Criterion(
                "reduced_muscle",
                "Réduction quantifiée de la masse et/ou de la fonction musculaires",
            )
        )

    # Etiological criteria (1 suffices) — the same in both texts.
    etiological: list[Criterion] = []
    if reduced_intake:
        etiological.append(
            Criterion(
                "reduced_intake",
                "Réduction de la prise alimentaire (≥ 50 % plus d'une semaine, ou toute "
                "réduction plus de deux semaines)",
            )
        )
    if reduced_absorption:
        etiological.append(
            Criterion("reduced_absorption", "Absorption réduite (malabsorption, maldigestion)")
        )
    if aggression:
        etiological.append(
            Criterion(
                "aggression",
                "Situation d'agression (pathologie aiguë, chronique évolutive ou maligne "
                "évolutive)",
            )
        )

    undernourished = bool(phenotypic) and bool(etiological)
    grade = _grade_70_and_over if older else _grade_under_70
    severe, moderate = grade(bmi, loss_1, loss_6, loss_usual, albumin)
    severity = ("severe" if severe else "moderate") if undernourished else None

    return NutritionResult(
        reference=HAS_2021_70_PLUS if older else HAS_2019_ADULT,
        population="70_and_over" if older else "adult_under_70",
        weighed_on=weighed_on,
        weight_kg=weight,
        bmi=bmi,
        loss_1_month_pct=loss_1,
        loss_6_months_pct=loss_6,
        loss_vs_usual_pct=loss_usual,
        phenotypic=tuple(phenotypic),
        etiological=tuple(etiological),
        undernourished=undernourished,
        severity=severity,
        severe_criteria=tuple(severe) if undernourished else (),
        moderate_criteria=tuple(moderate) if undernourished else (),
        mna_sf=mna_sf,
        mna_sf_category=_mna_sf_category(mna_sf),
        not_evaluated=tuple(not_evaluated),
    )


# --- Severity -------------------------------------------------------------------------------


def _loss_grades(loss_1, loss_6, loss_usual) -> tuple[list[Criterion], list[Criterion]]:
    """Weight-loss criteria of severity: identical in the 2019 and 2021 texts."""
    severe: list[Criterion] = []
    moderate: list[Criterion] = []
    if loss_1 is not None:
        if loss_1 >= LOSS_1_MONTH_SEVERE:
            severe.append(Criterion("weight_loss_1_month", "Perte de poids ≥ 10 % en 1 mois"))
        elif loss_1 >= LOSS_1_MONTH_PHENOTYPIC:
            moderate.append(
                Criterion("weight_loss_1_month", "Perte de poids ≥ 5 % et < 10 % en 1 mois")
            )
    if loss_6 is not None:
        if loss_6 >= LOSS_6_MONTHS_SEVERE:
            severe.append(Criterion("weight_loss_6_months", "Perte de poids ≥ 15 % en 6 mois"))
        elif loss_6 >= LOSS_6_MONTHS_PHENOTYPIC:
            moderate.append(
                Criterion("weight_loss_6_months", "Perte de poids ≥ 10 % et < 15 % en 6 mois")
            )
    if loss_usual is not None:
        if loss_usual >= LOSS_VS_USUAL_SEVERE:
            severe.append(
                Criterion("weight_loss_vs_usual", "Perte de poids ≥ 15 % du poids habituel")
            )
        elif loss_usual >= LOSS_VS_USUAL_PHENOTYPIC:
            moderate.append(
                Criterion(
                    "weight_loss_vs_usual", "Perte de poids ≥ 10 % et < 15 % du poids habituel"
                )
            )
    return severe, moderate


def _grade_under_70(bmi, loss_1, loss_6, loss_usual, albumin):
    """HAS 2019, adult: severe if IMC ≤ 17, or weight loss as above, or albumin ≤ 30 g/L;
    moderate if 17 < IMC < 18,5, or weight loss as above, or 30 < albumin < 35 g/L."""
    severe, moderate = _loss_grades(loss_1, loss_6, loss_usual)
    if bmi is not None:
        if bmi <= BMI_SEVERE_MAX_UNDER_70:
            severe.append(Criterion("bmi", "IMC ≤ 17 kg/m²"))
        elif bmi < BMI_PHENOTYPIC_UNDER_70:
            moderate.append(Criterion("bmi", "17 < IMC < 18,5 kg/m²"))
    if albumin is not None:
        if albumin <= ALBUMIN_SEVERE_MAX_UNDER_70:
            severe.append(Criterion("albumin", "Albuminémie ≤ 30 g/L"))
        elif albumin < ALBUMIN_MODERATE_BELOW_UNDER_70:
            moderate.append(Criterion("albumin", "30 < albuminémie < 35 g/L"))
    return severe, moderate


def _grade_70_and_over(bmi, loss_1, loss_6, loss_usual, albumin):
    """HAS/FFN 2021, 70 and over: severe if IMC < 20, or weight loss as above, or albumin
    < 30 g/L; moderate if 20 ≤ IMC < 22, or weight loss as above, or albumin ≥ 30 g/L."""
    severe, moderate = _loss_grades(loss_1, loss_6, loss_usual)
    if bmi is not None:
        if bmi < BMI_SEVERE_BELOW_70_PLUS:
            severe.append(Criterion("bmi", "IMC < 20 kg/m²"))
        elif bmi < BMI_PHENOTYPIC_70_PLUS:
            moderate.append(Criterion("bmi", "20 ≤ IMC < 22 kg/m²"))
    if albumin is not None:
        if albumin < ALBUMIN_SEVERE_BELOW_70_PLUS:
            severe.append(Criterion("albumin", "Albuminémie < 30 g/L"))
        else:
            moderate.append(Criterion("albumin", "Albuminémie ≥ 30 g/L"))
    return severe, moderate


# --- Helpers --------------------------------------------------------------------------------


def _weighings(weights, on: date) -> list[tuple[date, Decimal]]:
    """The weighings on or before `on`, checked (a date and a weight of 1 to 500 kg)."""
    checked = []
    for item in weights:
        try:
            when, kg = item
        except (TypeError, ValueError):
            raise ValueError("each weighing is a (date, kilograms) pair") from None
        if isinstance(when, datetime):
            when = when.date()
        if not isinstance(when, date):
            raise ValueError(f"weighing date must be a date, got {when!r}")
        checked.append((when, _checked(kg, "weight", Decimal(1), Decimal(500))))
    return [w for w in checked if w[0] <= on]


def _largest_loss(weighings, current, window: timedelta) -> Decimal | None:
    """Largest loss, in % of the earlier weight, between a weighing in the window before the
    current one and the current one; 0 if the weight did not go down; None if no weighing."""
    current_date, current_kg = current
    earlier = [kg for when, kg in weighings if current_date - window <= when < current_date]
    if not earlier:
        return None
    reference = max(earlier)
    if reference <= current_kg:
        return Decimal("0.0")
    return _one_decimal((reference - current_kg) / reference * 100)


def _checked(value, name: str, low: Decimal, high: Decimal) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValueError(f"{name} must be a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not number.is_finite() or not low <= number <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value!r}")
    return number


def body_mass_index(weight_kg, height_m) -> Decimal:
    """IMC = poids / taille², rounded to one decimal as the diagnosis compares it
    (70 kg, 1,75 m → 22,9)."""
    weight = Decimal(str(weight_kg))
    height = Decimal(str(height_m))
    return _one_decimal(weight / (height * height))


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _fr(number: Decimal) -> str:
    return format(number.normalize(), "f").replace(".", ",")


def _mna_sf_category(score: int | None) -> str | None:
    if score is None:
        return None
    if score >= MNA_SF_NORMAL_MIN:
        return "normal"
    if score >= MNA_SF_AT_RISK_MIN:
        return "at_risk"
    return "malnourished"
