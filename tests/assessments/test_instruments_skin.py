"""Braden (Bergstrom et al., Nurs Res 1987; bands of Ayello and Braden 2002: ≤ 18 at risk, 13–14
moderate, 10–12 high, ≤ 9 very high) and Norton (Norton et al. 1962: ≤ 14 at risk, ≤ 12 high),
as used in France since the ANAES consensus conference on pressure ulcers (2001)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dui.assessments.instruments import get

BRADEN = get("braden")
NORTON = get("norton")
BRADEN_ITEMS = ("perception", "humidite", "activite", "mobilite", "nutrition", "friction")


def braden_total(total: int):
    """Answers summing to `total`: start from the best (4 4 4 4 4 3 = 23) and lower items."""
    answers = {key: 4 for key in BRADEN_ITEMS}
    answers["friction"] = 3
    to_remove = 23 - total
    for key in BRADEN_ITEMS:
        step = min(to_remove, answers[key] - 1)
        answers[key] -= step
        to_remove -= step
    return BRADEN.score(BRADEN.clean({k: str(v) for k, v in answers.items()}))


class TestBraden:
    @pytest.mark.parametrize(
        ("total", "level", "status"),
        [
            (23, "ok", "pas de risque particulier"),
            (19, "ok", "pas de risque particulier"),
            (18, "warn", "risque faible"),
            (15, "warn", "risque faible"),
            (14, "warn", "risque modéré"),
            (13, "warn", "risque modéré"),
            (12, "danger", "risque élevé"),
            (10, "danger", "risque élevé"),
            (9, "danger", "risque très élevé"),
            (6, "danger", "risque très élevé"),
        ],
    )
    def test_the_risk_bands_are_read_at_their_edges(self, total, level, status):
        result = braden_total(total)
        assert result.score == Decimal(total)
        assert result.level == level
        assert result.details["status"] == status

    def test_19_is_not_at_risk_and_18_is(self):
        assert braden_total(19).level == "ok"
        assert braden_total(18).level == "warn"

    def test_the_range_is_6_to_23_with_friction_scored_1_to_3(self):
        assert BRADEN.score_min == 6 and BRADEN.score_max == 23
        assert [o.points for o in BRADEN.question("friction").options] == [1, 2, 3]
        with pytest.raises(ValidationError) as error:
            BRADEN.clean({**{k: "4" for k in BRADEN_ITEMS}})
        assert "friction" in error.value.message_dict

    def test_a_missing_item_is_an_error_on_that_item(self):
        answers = {k: "3" for k in BRADEN_ITEMS}
        del answers["nutrition"]
        with pytest.raises(ValidationError) as error:
            BRADEN.clean(answers)
        assert list(error.value.message_dict) == ["nutrition"]

    def test_an_unknown_question_is_refused_rather_than_stored(self):
        with pytest.raises(ValidationError) as error:
            BRADEN.clean({**{k: "3" for k in BRADEN_ITEMS}, "douleur": "2"})
        assert "douleur" in error.value.message_dict

    def test_a_low_score_means_a_high_risk(self):
        assert BRADEN.higher_is_worse is False


class TestNorton:
    def answers(self, total: int) -> dict:
        keys = [q.key for q in NORTON.questions]
        values = {key: 4 for key in keys}
        to_remove = 20 - total
        for key in keys:
            step = min(to_remove, 3)
            values[key] -= step
            to_remove -= step
        return {k: str(v) for k, v in values.items()}

    @pytest.mark.parametrize(
        ("total", "level"),
        [(20, "ok"), (15, "ok"), (14, "warn"), (13, "warn"), (12, "danger"), (5, "danger")],
    )
    def test_14_is_at_risk_and_12_is_a_high_risk(self, total, level):
        result = NORTON.score(NORTON.clean(self.answers(total)))
        assert result.score == Decimal(total)
        assert result.level == level
        assert result.label == f"{total} / 20"

    def test_an_answer_outside_the_options_is_refused(self):
        answers = self.answers(20)
        answers["incontinence"] = "5"
        with pytest.raises(ValidationError) as error:
            NORTON.clean(answers)
        assert "incontinence" in error.value.message_dict
