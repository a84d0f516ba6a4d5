"""Undernutrition per the HAS texts, tested at the edge of every threshold.

Sources: HAS, « Diagnostic de la dénutrition de l'enfant et de l'adulte », novembre 2019 (adults
under 70); HAS / FFN, « Diagnostic de la dénutrition chez la personne de 70 ans et plus »,
novembre 2021. BMI and weight-loss percentages are compared at one decimal, as displayed.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from dui.care.nutrition import HAS_2019_ADULT, HAS_2021_70_PLUS, assess_undernutrition

TODAY = date(2025, 6, 30)
H_160 = Decimal("1.60")  # height² = 2.56: weight = BMI × 2.56
H_170 = Decimal("1.70")  # height² = 2.89


def assess(**overrides):
    arguments = {
        "age": 75,
        "weights": [(TODAY, Decimal("60"))],  # BMI 23.4 at 1.60 m
        "height_m": H_160,
        "on": TODAY,
    }
    arguments.update(overrides)
    return assess_undernutrition(**arguments)


def weighed(kg_before: str, kg_now: str, days: int):
    return [(TODAY - timedelta(days=days), Decimal(kg_before)), (TODAY, Decimal(kg_now))]


def codes(criteria):
    return {c.code for c in criteria}


# --- which text ------------------------------------------------------------------------------


def test_70_and_over_follow_the_2021_text_and_69_the_2019_text():
    assert assess(age=70).reference == HAS_2021_70_PLUS
    assert assess(age=69).reference == HAS_2019_ADULT
    assert assess(age=18).population == "adult_under_70"


def test_children_are_refused_because_their_criteria_differ():
    with pytest.raises(ValueError, match="under 18"):
        assess(age=17)


# --- BMI, 70 and over (2021): phenotypic < 22, moderate 20 ≤ BMI < 22, severe < 20 --------------


def test_bmi_21_9_at_75_is_a_phenotypic_criterion_and_22_0_is_not():
    low = assess(weights=[(TODAY, Decimal("56.064"))])
    assert low.bmi == Decimal("21.9")
    assert "low_bmi" in codes(low.phenotypic)
    assert low.phenotypic[0].label == "IMC < 22 kg/m²"
    normal = assess(weights=[(TODAY, Decimal("56.32"))])
    assert normal.bmi == Decimal("22.0")
    assert not normal.phenotypic


def test_a_bmi_shown_as_22_0_is_not_below_22():
    result = assess(weights=[(TODAY, Decimal("56.2176"))])  # 21.96 → shown 22.0
    assert result.bmi == Decimal("22.0")
    assert not result.phenotypic


def test_bmi_20_0_at_75_is_moderate_and_19_9_is_severe():
    moderate = assess(weights=[(TODAY, Decimal("51.2"))], aggression=True)
    assert moderate.bmi == Decimal("20.0")
    assert moderate.undernourished
    assert moderate.severity == "moderate"
    assert codes(moderate.moderate_criteria) == {"bmi"}
    severe = assess(weights=[(TODAY, Decimal("50.944"))], aggression=True)
    assert severe.bmi == Decimal("19.9")
    assert severe.severity == "severe"
    assert [c.label for c in severe.severe_criteria] == ["IMC < 20 kg/m²"]


def test_the_70_and_over_bmi_threshold_applies_from_the_70th_birthday():
    weights = [(TODAY, Decimal("53.76"))]  # BMI 21.0
    assert "low_bmi" in codes(assess(age=70, weights=weights).phenotypic)
    assert not assess(age=69, weights=weights).phenotypic


# --- BMI, adults under 70 (2019): phenotypic < 18,5, moderate 17 < BMI < 18,5, severe ≤ 17 -------


def test_bmi_18_4_at_50_is_a_phenotypic_criterion_and_18_5_is_not():
    low = assess(age=50, height_m=H_170, weights=[(TODAY, Decimal("53.176"))])
    assert low.bmi == Decimal("18.4")
    assert [c.label for c in low.phenotypic] == ["IMC < 18,5 kg/m²"]
    normal = assess(age=50, height_m=H_170, weights=[(TODAY, Decimal("53.465"))])
    assert normal.bmi == Decimal("18.5")
    assert not normal.phenotypic


def test_bmi_17_0_at_50_is_severe_and_17_1_is_moderate():
    severe = assess(age=50, height_m=H_170, weights=[(TODAY, Decimal("49.13"))], aggression=True)
    assert severe.bmi == Decimal("17.0")
    assert severe.severity == "severe"
    assert [c.label for c in severe.severe_criteria] == ["IMC ≤ 17 kg/m²"]
    moderate = assess(age=50, height_m=H_170, weights=[(TODAY, Decimal("49.419"))], aggression=True)
    assert moderate.bmi == Decimal("17.1")
    assert moderate.severity == "moderate"


# --- weight loss (same thresholds in both texts) ---------------------------------------------------


def test_a_loss_of_exactly_5_percent_in_30_days_is_a_phenotypic_criterion():
    result = assess(weights=weighed("80", "76", days=30), reduced_intake=True)
    assert result.loss_1_month_pct == Decimal("5.0")
    assert codes(result.phenotypic) == {"weight_loss_1_month"}
    assert result.undernourished
    assert result.severity == "moderate"


def test_a_loss_of_4_9_percent_in_30_days_is_not():
    result = assess(weights=weighed("80", "76.08", days=30))
    assert result.loss_1_month_pct == Decimal("4.9")
    assert not result.phenotypic


def test_a_loss_shown_as_5_0_percent_counts():
    result = assess(weights=weighed("80", "76.032", days=30))  # 4.96 % → shown 5.0 %
    assert result.loss_1_month_pct == Decimal("5.0")
    assert codes(result.phenotypic) == {"weight_loss_1_month"}


def test_one_month_is_at_most_31_days_between_weighings():
    assert assess(weights=weighed("80", "76", days=31)).loss_1_month_pct == Decimal("5.0")
    later = assess(weights=weighed("80", "76", days=32))
    assert later.loss_1_month_pct is None
    assert later.loss_6_months_pct == Decimal("5.0")
    assert not later.phenotypic


def test_a_loss_of_10_percent_in_1_month_is_severe_and_9_9_is_moderate():
    severe = assess(weights=weighed("80", "72", days=28), aggression=True)
    assert severe.severity == "severe"
    assert codes(severe.severe_criteria) == {"weight_loss_1_month"}
    moderate = assess(weights=weighed("80", "72.08", days=28), aggression=True)
    assert moderate.loss_1_month_pct == Decimal("9.9")
    assert moderate.severity == "moderate"


def test_a_loss_of_10_percent_in_183_days_is_a_criterion_and_in_184_days_is_not():
    within = assess(weights=weighed("80", "72", days=183))
    assert within.loss_6_months_pct == Decimal("10.0")
    assert codes(within.phenotypic) == {"weight_loss_6_months"}
    beyond = assess(weights=weighed("80", "72", days=184))
    assert beyond.loss_6_months_pct is None
    assert not beyond.phenotypic


def test_a_loss_of_9_9_percent_in_6_months_is_not_a_criterion():
    assert not assess(weights=weighed("80", "72.08", days=150)).phenotypic


def test_a_loss_of_15_percent_in_6_months_is_severe_and_14_9_is_moderate():
    severe = assess(weights=weighed("80", "68", days=150), aggression=True)
    assert severe.severity == "severe"
    assert codes(severe.severe_criteria) == {"weight_loss_6_months"}
    moderate = assess(weights=weighed("80", "68.08", days=150), aggression=True)
    assert moderate.loss_6_months_pct == Decimal("14.9")
    assert moderate.severity == "moderate"


def test_a_loss_of_10_percent_of_the_usual_weight_is_a_criterion_and_9_9_is_not():
    at = assess(usual_weight_kg=Decimal("80"), weights=[(TODAY, Decimal("72"))])
    assert at.loss_vs_usual_pct == Decimal("10.0")
    assert codes(at.phenotypic) == {"weight_loss_vs_usual"}
    below = assess(usual_weight_kg=Decimal("80"), weights=[(TODAY, Decimal("72.08"))])
    assert not below.phenotypic


def test_a_loss_of_15_percent_of_the_usual_weight_is_severe_and_14_9_is_moderate():
    severe = assess(
        usual_weight_kg=Decimal("80"), weights=[(TODAY, Decimal("68"))], reduced_intake=True
    )
    assert severe.severity == "severe"
    moderate = assess(
        usual_weight_kg=Decimal("80"), weights=[(TODAY, Decimal("68.08"))], reduced_intake=True
    )
    assert moderate.severity == "moderate"


def test_the_largest_loss_from_any_weighing_in_the_window_is_taken():
    weights = [
        (TODAY - timedelta(days=40), Decimal("90")),  # outside 1 month
        (TODAY - timedelta(days=25), Decimal("84")),
        (TODAY - timedelta(days=10), Decimal("82")),
        (TODAY, Decimal("79.8")),
    ]
    result = assess(weights=weights)
    assert result.loss_1_month_pct == Decimal("5.0")  # from 84 kg
    assert result.loss_6_months_pct == Decimal("11.3")  # from 90 kg
    assert result.weight_kg == Decimal("79.8")


def test_weighings_after_the_assessment_date_are_ignored():
    weights = [
        (TODAY - timedelta(days=20), Decimal("80")),
        (TODAY + timedelta(days=1), Decimal("70")),
    ]
    result = assess(weights=weights)
    assert result.weighed_on == TODAY - timedelta(days=20)
    assert result.loss_1_month_pct is None


def test_a_weight_gain_is_no_loss():
    assert assess(weights=weighed("60", "62", days=20)).loss_1_month_pct == Decimal("0.0")


# --- albumin: severity only --------------------------------------------------------------------


def test_albumin_30_at_75_is_moderate_and_29_9_is_severe():
    base = {"weights": [(TODAY, Decimal("53.76"))], "aggression": True}  # BMI 21.0
    moderate = assess(albumin_g_l=Decimal("30"), **base)
    assert moderate.severity == "moderate"
    assert "Albuminémie ≥ 30 g/L" in [c.label for c in moderate.moderate_criteria]
    severe = assess(albumin_g_l=Decimal("29.9"), **base)
    assert severe.severity == "severe"
    assert [c.label for c in severe.severe_criteria] == ["Albuminémie < 30 g/L"]


def test_albumin_30_at_50_is_severe_and_30_1_is_moderate():
    base = {
        "age": 50,
        "height_m": H_170,
        "weights": [(TODAY, Decimal("53.176"))],  # BMI 18.4
        "aggression": True,
    }
    severe = assess(albumin_g_l=Decimal("30"), **base)
    assert severe.severity == "severe"
    assert [c.label for c in severe.severe_criteria] == ["Albuminémie ≤ 30 g/L"]
    moderate = assess(albumin_g_l=Decimal("30.1"), **base)
    assert moderate.severity == "moderate"
    assert "30 < albuminémie < 35 g/L" in [c.label for c in moderate.moderate_criteria]


def test_albumin_35_at_50_is_no_criterion_and_34_9_is_moderate():
    base = {
        "age": 50,
        "height_m": H_170,
        "weights": [(TODAY, Decimal("53.176"))],
        "aggression": True,
    }
    assert "albumin" not in codes(assess(albumin_g_l=Decimal("35"), **base).moderate_criteria)
    assert "albumin" in codes(assess(albumin_g_l=Decimal("34.9"), **base).moderate_criteria)


def test_a_low_albumin_alone_never_makes_the_diagnosis():
    result = assess(albumin_g_l=Decimal("20"), aggression=True)
    assert not result.undernourished
    assert result.severity is None
    assert result.severe_criteria == ()


# --- the diagnosis needs both kinds of criteria ---------------------------------------------------


def test_a_phenotypic_criterion_without_an_etiological_one_is_no_diagnosis():
    result = assess(weights=[(TODAY, Decimal("50"))])  # BMI 19.5
    assert result.phenotypic_met
    assert not result.etiological_met
    assert not result.undernourished
    assert result.severity is None


def test_an_etiological_criterion_without_a_phenotypic_one_is_no_diagnosis():
    result = assess(reduced_intake=True, reduced_absorption=True, aggression=True)
    assert codes(result.etiological) == {"reduced_intake", "reduced_absorption", "aggression"}
    assert not result.undernourished


def test_confirmed_sarcopenia_at_75_and_reduced_muscle_at_50_are_phenotypic_criteria():
    older = assess(reduced_muscle=True, reduced_absorption=True)
    assert codes(older.phenotypic) == {"sarcopenia"}
    assert older.undernourished
    assert older.severity == "moderate"
    younger = assess(age=50, height_m=H_170, reduced_muscle=True)
    assert codes(younger.phenotypic) == {"reduced_muscle"}


# --- MNA short form: screening only ----------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "category"),
    [
        (14, "normal"),
        (12, "normal"),
        (11, "at_risk"),
        (8, "at_risk"),
        (7, "malnourished"),
        (0, "malnourished"),
    ],
)
def test_the_mna_short_form_is_reported_as_a_screening_category(score, category):
    assert assess(mna_sf=score).mna_sf_category == category


def test_a_low_mna_never_makes_the_diagnosis():
    assert not assess(mna_sf=3, aggression=True).undernourished


# --- missing and bad input -----------------------------------------------------------------------


def test_what_could_not_be_evaluated_is_said():
    result = assess(height_m=None, weights=[(TODAY, Decimal("60"))])
    assert result.bmi is None
    assert set(result.not_evaluated) == {
        "bmi",
        "loss_1_month",
        "loss_6_months",
        "loss_vs_usual",
        "albumin",
    }
    nothing = assess(weights=[])
    assert nothing.weight_kg is None
    assert not nothing.undernourished


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"height_m": Decimal("3")}, "height_m"),
        ({"height_m": "abc"}, "height_m"),
        ({"weights": [(TODAY, Decimal("0"))]}, "weight"),
        ({"weights": [(TODAY, Decimal("NaN"))]}, "weight"),
        ({"weights": [("2025-06-30", Decimal("60"))]}, "date"),
        ({"weights": [(TODAY,)]}, "pair"),
        ({"albumin_g_l": Decimal("-1")}, "albumin"),
        ({"mna_sf": 15}, "mna_sf"),
        ({"age": "75"}, "age"),
    ],
)
def test_bad_input_is_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        assess(**overrides)


def test_a_weighing_with_a_time_counts_for_its_day():
    weights = [
        (datetime(2025, 6, 1, 8, 30), Decimal("80")),
        (datetime(2025, 6, 30, 7), Decimal("76")),
    ]
    assert assess(weights=weights).loss_1_month_pct == Decimal("5.0")
