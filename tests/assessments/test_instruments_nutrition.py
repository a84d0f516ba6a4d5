"""MNA-SF and full MNA: items and points of the Nestlé Nutrition Institute forms; cut-offs of
Kaiser et al. 2009 (MNA-SF: 12–14 normal, 8–11 at risk, 0–7 malnourished) and of Guigoz, Vellas
and Garry 1994 / Vellas et al. 1999 (MNA: ≥ 24 normal, 17–23.5 at risk, < 17 malnourished)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dui.assessments.instruments import get

MNA_SF = get("mna_sf")
MNA = get("mna")

# A person with no problem on A–E (2 + 3 + 2 + 2 + 2 = 11 points) before F.
WELL = {"a": "2", "b": "3", "c": "2", "d": "2", "e": "2"}


def sf(**changes):
    return MNA_SF.score(MNA_SF.clean({**WELL, **changes}))


class TestMnaShortForm:
    @pytest.mark.parametrize(
        ("answers", "total", "level"),
        [
            ({"f1": "3"}, 14, "ok"),
            ({"f1": "1"}, 12, "ok"),
            ({"f1": "0"}, 11, "warn"),
            ({"e": "0", "d": "0", "f1": "1"}, 8, "warn"),
            ({"e": "0", "d": "0", "f1": "0"}, 7, "danger"),
        ],
    )
    def test_the_published_cut_offs_12_and_8_are_read_at_their_edges(self, answers, total, level):
        """Kaiser et al. 2009: 12–14 normal, 8–11 at risk, 0–7 malnourished."""
        result = sf(**answers)
        assert result.score == Decimal(total)
        assert result.label == f"{total} / 14"
        assert result.level == level

    def test_eleven_points_is_at_risk_and_twelve_is_normal(self):
        assert "à risque de dénutrition" in sf(f1="0").interpretation
        assert "état nutritionnel normal" in sf(f1="1").interpretation

    def test_the_calf_circumference_replaces_the_bmi_when_the_bmi_is_missing(self):
        result = sf(f2="3")
        assert result.score == 14
        assert result.details["measure"] == "f2"
        assert "circonférence du mollet" in result.interpretation

    def test_a_calf_circumference_below_31_cm_gives_no_point(self):
        assert sf(f2="0").score == 11

    def test_the_bmi_and_the_calf_circumference_cannot_both_be_answered(self):
        with pytest.raises(ValidationError) as error:
            MNA_SF.clean({**WELL, "f1": "3", "f2": "3"})
        assert "f2" in error.value.message_dict

    def test_without_bmi_nor_calf_circumference_the_error_is_on_f1(self):
        with pytest.raises(ValidationError) as error:
            MNA_SF.clean(WELL)
        assert "F2" in error.value.message_dict["f1"][0]

    def test_a_draft_may_leave_both_f1_and_f2_empty(self):
        assert MNA_SF.clean({"a": "1"}, complete=False) == {"a": "1"}

    def test_a_missing_required_item_is_an_error_on_that_item(self):
        answers = {**WELL, "f1": "3"}
        del answers["c"]
        with pytest.raises(ValidationError) as error:
            MNA_SF.clean(answers)
        assert set(error.value.message_dict) == {"c"}

    def test_an_answer_outside_the_options_is_refused(self):
        with pytest.raises(ValidationError) as error:
            MNA_SF.clean({**WELL, "b": "4", "f1": "3"})
        assert "choix proposés" in error.value.message_dict["b"][0]

    def test_the_live_result_is_a_subtotal_until_complete(self):
        partial = MNA_SF.partial({"a": "2", "b": "3"})
        assert partial.complete is False and partial.score is None
        assert "5" in partial.interpretation
        assert MNA_SF.partial({**WELL, "f1": "3"}).score == 14


# The full MNA: screening A–F (14) and global assessment G–R (16).
SCREENING_14 = {**WELL, "f1": "3"}
GLOBAL_16 = {
    "g": "1",
    "h": "1",
    "i": "1",
    "j": "2",
    "k1": "oui",
    "k2": "oui",
    "k3": "oui",
    "l": "1",
    "m": "1",
    "n": "2",
    "o": "2",
    "p": "2",
    "q": "1",
    "r": "1",
}


def full(**changes):
    return MNA.score(MNA.clean({**SCREENING_14, **GLOBAL_16, **changes}))


class TestMnaFull:
    def test_the_maximum_is_30_with_14_for_screening_and_16_for_the_global_assessment(self):
        result = full()
        assert result.score == Decimal(30)
        assert result.details["screening"] == "14" and result.details["global"] == "16"
        assert result.level == "ok"

    @pytest.mark.parametrize(
        ("yes", "points"), [(("oui", "oui", "oui"), "1.0"), (("oui", "oui", "non"), "0.5")]
    )
    def test_item_k_counts_one_point_for_three_yes_and_half_for_two(self, yes, points):
        result = full(k1=yes[0], k2=yes[1], k3=yes[2])
        assert result.score == Decimal(29) + Decimal(points)

    def test_item_k_counts_nothing_for_a_single_yes(self):
        assert full(k1="oui", k2="non", k3="non").score == Decimal(29)

    def test_24_points_is_normal_and_23_5_is_at_risk(self):
        """Guigoz/Vellas: 24–30 normal, 17–23.5 at risk of malnutrition."""
        # 30 − 6 (g, h, i: 0 instead of 1; j: 1 repas, 0 instead of 2; l: 0 instead of 1) = 24
        at_24 = full(g="0", h="0", i="0", j="0", l="0")
        assert at_24.score == Decimal(24) and at_24.level == "ok"
        at_23_5 = full(g="0", h="0", i="0", j="0", l="0", m="0.5")
        assert at_23_5.score == Decimal("23.5") and at_23_5.level == "warn"
        assert at_23_5.label == "23,5 / 30"
        assert "risque de malnutrition" in at_23_5.interpretation

    def test_17_points_is_at_risk_and_16_5_is_malnourished(self):
        base = {"g": "0", "h": "0", "i": "0", "j": "0", "l": "0", "n": "0", "o": "0"}
        # 30 − 10 (base) = 20, − 2 (p: moins bonne) = 18, − 1 (q: CB < 21) = 17
        at_17 = full(**base, p="0", q="0")
        assert at_17.score == Decimal(17) and at_17.level == "warn"
        at_16_5 = full(**base, p="0", q="0", m="0.5")
        assert at_16_5.score == Decimal("16.5") and at_16_5.level == "danger"
        assert "mauvais état nutritionnel" in at_16_5.interpretation

    def test_the_full_form_has_no_calf_alternative_to_the_bmi(self):
        with pytest.raises(ValidationError) as error:
            MNA.clean({**WELL, **GLOBAL_16})
        assert "f1" in error.value.message_dict
        with pytest.raises(KeyError):
            MNA.question("f2")

    def test_the_live_subtotal_adds_k_once_its_three_questions_are_answered(self):
        assert MNA.points({"k1": "oui", "k2": "oui"}) is None
        assert MNA.points({"k1": "oui", "k2": "oui", "k3": "non"}) == Decimal("0.5")

    def test_the_result_details_are_json_serialisable(self):
        import json

        details = full().details
        assert json.loads(json.dumps(details)) == details
