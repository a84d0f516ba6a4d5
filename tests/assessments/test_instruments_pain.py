"""Pain scales: Algoplus (Rat et al., Eur J Pain 2011: ≥ 2/5 = pain), Doloplus-2 (Wary and the
Doloplus group 1999: ≥ 5/30 = pain; "ne rien coter en cas d'item inadapté"), EVA and EN (ANAES
1999; usual bands 0 none, 1–3 mild, 4–6 moderate, 7–10 intense)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dui.assessments.instruments import get

ALGOPLUS = get("algoplus")
DOLOPLUS = get("doloplus2")
EVA = get("eva")
EN = get("en")


class TestAlgoplus:
    def answers(self, yes: int) -> dict:
        keys = [q.key for q in ALGOPLUS.questions]
        return {key: ("1" if i < yes else "0") for i, key in enumerate(keys)}

    def test_one_item_present_is_not_yet_pain(self):
        result = ALGOPLUS.score(ALGOPLUS.clean(self.answers(1)))
        assert result.score == 1 and result.level == "ok"

    def test_two_items_present_mean_pain(self):
        """Rat et al. 2011: a score of 2 or more affirms pain."""
        result = ALGOPLUS.score(ALGOPLUS.clean(self.answers(2)))
        assert result.score == 2 and result.level == "danger"
        assert "douleur présente" in result.interpretation

    def test_the_five_items_give_five(self):
        assert ALGOPLUS.score(ALGOPLUS.clean(self.answers(5))).label == "5 / 5"

    def test_a_missing_item_is_an_error_on_that_item(self):
        answers = self.answers(0)
        del answers["regard"]
        with pytest.raises(ValidationError) as error:
            ALGOPLUS.clean(answers)
        assert list(error.value.message_dict) == ["regard"]

    def test_an_answer_other_than_yes_or_no_is_refused(self):
        with pytest.raises(ValidationError) as error:
            ALGOPLUS.clean({**self.answers(0), "visage": "2"})
        assert "visage" in error.value.message_dict


class TestDoloplus:
    keys = [q.key for q in DOLOPLUS.questions]

    def answers(self, *values: str) -> dict:
        return dict(zip(self.keys, values, strict=True))

    def test_four_is_not_pain_and_five_is(self):
        """Doloplus-2: a score of 5 or more out of 30 affirms pain."""
        four = DOLOPLUS.score(DOLOPLUS.clean(self.answers("1", "1", "1", "1", *"000000")))
        five = DOLOPLUS.score(DOLOPLUS.clean(self.answers("1", "1", "1", "1", "1", *"00000")))
        assert (four.score, four.level) == (Decimal(4), "ok")
        assert (five.score, five.level) == (Decimal(5), "danger")

    def test_the_sub_scores_follow_the_three_groups(self):
        result = DOLOPLUS.score(DOLOPLUS.clean(self.answers(*"3333322111")))
        assert result.score == 22
        assert result.details["somatic"] == 15
        assert result.details["psychomotor"] == 4
        assert result.details["psychosocial"] == 3

    def test_an_unsuitable_item_is_left_unrated_and_counts_nothing(self):
        result = DOLOPLUS.score(
            DOLOPLUS.clean(self.answers("2", "2", "1", "0", "0", "nc", "nc", "0", "0", "0"))
        )
        assert result.score == 5 and result.level == "danger"
        assert result.details["not_rated"] == ["toilette_habillage", "mouvements"]
        assert "non coté" in result.interpretation

    def test_an_assessment_with_every_item_unrated_is_refused(self):
        with pytest.raises(ValidationError) as error:
            DOLOPLUS.clean(self.answers(*["nc"] * 10))
        assert "plaintes_somatiques" in error.value.message_dict

    def test_an_item_cannot_be_scored_4(self):
        with pytest.raises(ValidationError) as error:
            DOLOPLUS.clean(self.answers("4", *"000000000"))
        assert "plaintes_somatiques" in error.value.message_dict


class TestSelfAssessment:
    @pytest.mark.parametrize(
        ("value", "level", "status"),
        [
            ("0", "ok", "pas de douleur"),
            ("0.1", "warn", "douleur légère"),
            ("3.9", "warn", "douleur légère"),
            ("4", "warn", "douleur modérée"),
            ("6.9", "warn", "douleur modérée"),
            ("7", "danger", "douleur intense"),
            ("10", "danger", "douleur intense"),
        ],
    )
    def test_the_eva_bands_are_read_at_their_edges(self, value, level, status):
        result = EVA.score(EVA.clean({"douleur": value}))
        assert result.level == level
        assert result.details["status"] == status

    def test_the_eva_takes_a_decimal_comma_and_keeps_one_decimal(self):
        cleaned = EVA.clean({"douleur": "4,56"})
        assert cleaned == {"douleur": "4.6"}
        assert EVA.score(cleaned).label == "4,6 / 10"

    @pytest.mark.parametrize("value", ["-0.1", "10.1", "douze"])
    def test_the_eva_refuses_a_value_outside_0_to_10(self, value):
        with pytest.raises(ValidationError) as error:
            EVA.clean({"douleur": value})
        assert "douleur" in error.value.message_dict

    @pytest.mark.parametrize(("value", "level"), [("3", "warn"), ("4", "warn"), ("7", "danger")])
    def test_the_en_bands(self, value, level):
        assert EN.score(EN.clean({"douleur": value})).level == level

    def test_the_en_refuses_a_half_point_rather_than_rounding_it(self):
        with pytest.raises(ValidationError) as error:
            EN.clean({"douleur": "4,5"})
        assert "entier" in error.value.message_dict["douleur"][0]

    def test_the_en_refuses_eleven(self):
        with pytest.raises(ValidationError) as error:
            EN.clean({"douleur": "11"})
        assert "10" in error.value.message_dict["douleur"][0]

    def test_a_missing_value_is_an_error_on_that_value(self):
        with pytest.raises(ValidationError) as error:
            EN.clean({})
        assert list(error.value.message_dict) == ["douleur"]
