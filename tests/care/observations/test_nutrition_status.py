"""The « à confirmer » state of `dui.care.nutrition` (issue 13): a phenotypic criterion without
an etiological one. HAS 2019 (adults) and HAS-FFN 2021 (70 and over) need both for the
diagnosis; edges from research notes §3 (loss 5,0 % in 30 days; IMC 21,9 < 22)."""

from datetime import date, timedelta
from decimal import Decimal

from dui.care import nutrition

ON = date(2026, 3, 1)


def assess(weights, *, age=82, height="1.60", **flags):
    return nutrition.assess_undernutrition(
        age=age, weights=weights, height_m=Decimal(height), on=ON, **flags
    )


def test_a_loss_of_exactly_5_percent_in_30_days_is_to_confirm():
    result = assess([(ON - timedelta(days=30), Decimal(80)), (ON, Decimal(76))])

    assert result.loss_1_month_pct == Decimal("5.0")
    assert result.status == nutrition.TO_CONFIRM


def test_a_loss_of_4_9_percent_in_30_days_is_not():
    # 80 → 76,08 kg: 4,9 % (one-decimal rounding as nutrition.py)
    result = assess([(ON - timedelta(days=30), Decimal(80)), (ON, Decimal("76.08"))])

    assert result.loss_1_month_pct == Decimal("4.9")
    assert result.status == nutrition.NONE


def test_a_bmi_of_21_9_at_70_and_over_is_to_confirm_but_22_0_is_not():
    # HAS-FFN 2021: IMC < 22 ; 56,064 kg / 1,60 m² = 21,9 ; 56,32 kg → 22,0.
    assert assess([(ON, Decimal("56.064"))]).status == nutrition.TO_CONFIRM
    assert assess([(ON, Decimal("56.32"))]).status == nutrition.NONE


def test_under_70_the_bmi_threshold_is_18_5():
    # HAS 2019: IMC < 18,5 for adults; 21,9 is no criterion at 65.
    assert assess([(ON, Decimal("56.064"))], age=65).status == nutrition.NONE
    assert assess([(ON, Decimal("47.1"))], age=65).status == nutrition.TO_CONFIRM


def test_with_an_etiological_criterion_it_is_the_diagnosis_with_its_severity():
    moderate = assess([(ON, Decimal("51.2"))], reduced_intake=True)  # IMC 20,0
    severe = assess([(ON, Decimal("50.944"))], aggression=True)  # IMC 19,9

    assert moderate.status == nutrition.UNDERNOURISHED
    assert moderate.severity == "moderate"
    assert severe.status == nutrition.UNDERNOURISHED
    assert severe.severity == "severe"


def test_an_etiological_criterion_alone_is_no_undernutrition():
    assert assess([(ON, Decimal(60))], reduced_intake=True).status == nutrition.NONE
