"""Falls: Timed Up and Go (Podsiadlo and Richardson, J Am Geriatr Soc 1991: ≥ 20 s reduced
mobility; Shumway-Cook et al., Phys Ther 2000: ≥ 13.5 s increased risk), Tinetti POMA (Tinetti,
J Am Geriatr Soc 1986: balance 16 + gait 12; < 19 high risk, 19–24 moderate) and the screening of
the HAS/SFGG 2009 recommendations on repeated falls (≥ 2 falls in 12 months)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dui.assessments.instruments import get

TUG = get("tug")
TINETTI = get("tinetti")
SCREENING = get("chutes_has")


class TestTimedUpAndGo:
    @pytest.mark.parametrize(
        ("seconds", "level"),
        [
            ("9", "ok"),
            ("13.4", "ok"),
            ("13.5", "warn"),
            ("19.9", "warn"),
            ("20", "danger"),
            ("45", "danger"),
        ],
    )
    def test_the_13_5_and_20_second_cut_offs_are_read_at_their_edges(self, seconds, level):
        result = TUG.score(TUG.clean({"temps": seconds}))
        assert result.score == Decimal(seconds)
        assert result.level == level

    def test_19_9_seconds_is_an_increased_risk_and_20_a_high_risk(self):
        assert "augmenté" in TUG.score(TUG.clean({"temps": "19,9"})).interpretation
        assert "élevé" in TUG.score(TUG.clean({"temps": "20"})).interpretation

    def test_the_time_is_kept_to_the_tenth_of_a_second(self):
        cleaned = TUG.clean({"temps": "12,34"})
        assert cleaned == {"temps": "12.3"}
        assert TUG.score(cleaned).label == "12,3 s"

    @pytest.mark.parametrize("seconds", ["0", "-3", "601", "vingt"])
    def test_a_time_out_of_range_or_not_a_number_is_refused(self, seconds):
        with pytest.raises(ValidationError) as error:
            TUG.clean({"temps": seconds})
        assert "temps" in error.value.message_dict

    def test_the_walking_aid_is_optional_and_limited_to_its_options(self):
        assert TUG.clean({"temps": "15"}) == {"temps": "15.0"}
        with pytest.raises(ValidationError) as error:
            TUG.clean({"temps": "15", "aide_technique": "fauteuil"})
        assert "aide_technique" in error.value.message_dict

    def test_a_missing_time_is_an_error_on_the_time(self):
        with pytest.raises(ValidationError) as error:
            TUG.clean({"aide_technique": "canne"})
        assert list(error.value.message_dict) == ["temps"]


def tinetti_answers(total: int) -> dict:
    """Best answers (28) lowered item by item until `total`."""
    answers = {q.key: max(o.points for o in q.options) for q in TINETTI.questions}
    to_remove = 28 - total
    for key in answers:
        step = min(to_remove, answers[key])
        answers[key] -= step
        to_remove -= step
    return {k: str(v) for k, v in answers.items()}


class TestTinetti:
    def test_the_maximum_is_16_for_balance_and_12_for_gait(self):
        result = TINETTI.score(TINETTI.clean(tinetti_answers(28)))
        assert (result.score, result.details["balance"], result.details["gait"]) == (28, 16, 12)
        assert result.level == "ok"

    @pytest.mark.parametrize(
        ("total", "level"),
        [(25, "ok"), (24, "warn"), (19, "warn"), (18, "danger"), (0, "danger")],
    )
    def test_below_19_is_a_high_risk_and_19_to_24_a_moderate_risk(self, total, level):
        result = TINETTI.score(TINETTI.clean(tinetti_answers(total)))
        assert result.score == total and result.level == level

    def test_an_item_scored_above_its_maximum_is_refused(self):
        with pytest.raises(ValidationError) as error:
            TINETTI.clean({**tinetti_answers(28), "yeux_fermes": "2"})
        assert "yeux_fermes" in error.value.message_dict

    def test_a_missing_item_is_an_error_on_that_item(self):
        answers = tinetti_answers(28)
        del answers["tronc"]
        with pytest.raises(ValidationError) as error:
            TINETTI.clean(answers)
        assert list(error.value.message_dict) == ["tronc"]


def screening(falls="0", factors=(), signs=()) -> dict:
    answers = {"chutes_12_mois": falls}
    for q in SCREENING.questions:
        if q.kind == "boolean":
            answers[q.key] = q.key in factors or q.key in signs
    return answers


class TestFallRiskScreening:
    def test_no_fall_and_no_factor_is_ok(self):
        result = SCREENING.score(SCREENING.clean(screening()))
        assert result.score == 0 and result.level == "ok"

    def test_one_fall_is_not_yet_repeated_falls_and_two_are(self):
        """HAS 2009: repeated falls = at least two falls over twelve months."""
        one = SCREENING.score(SCREENING.clean(screening("1")))
        two = SCREENING.score(SCREENING.clean(screening("2")))
        assert one.details["repeated_falls"] is False
        assert two.details["repeated_falls"] is True and two.level == "warn"
        assert "chutes répétées" in two.interpretation

    def test_the_score_is_the_number_of_risk_factors(self):
        result = SCREENING.score(
            SCREENING.clean(screening(factors=("age_80", "psychotropes", "vision")))
        )
        assert result.score == 3
        assert result.details["risk_factors"] == ["age_80", "psychotropes", "vision"]

    def test_a_sign_of_severity_calls_for_a_prompt_medical_assessment(self):
        result = SCREENING.score(SCREENING.clean(screening("1", signs=("anticoagulants",))))
        assert result.level == "danger"
        assert "évaluation médicale rapide" in result.interpretation

    def test_a_number_of_falls_must_be_a_whole_number(self):
        with pytest.raises(ValidationError) as error:
            SCREENING.clean(screening("1,5"))
        assert "chutes_12_mois" in error.value.message_dict

    def test_a_negative_number_of_falls_is_refused(self):
        with pytest.raises(ValidationError) as error:
            SCREENING.clean(screening("-1"))
        assert "chutes_12_mois" in error.value.message_dict

    def test_every_factor_must_be_answered_yes_or_no(self):
        answers = screening()
        del answers["depression"]
        with pytest.raises(ValidationError) as error:
            SCREENING.clean(answers)
        assert list(error.value.message_dict) == ["depression"]
