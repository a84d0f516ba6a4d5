"""MMSE, French consensual version of the GRECO (Derouesné et al., Presse Méd 1999; norms of
Kalafat et al., Rev Neuropsychol 2003): 30 items in six domains (orientation 10, apprentissage 3,
attention et calcul 5, rappel 3, langage 8, praxies constructives 1); the reading of the total by
age and niveau socio-culturel is left to the clinician."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dui.assessments.instruments import get

MMSE = get("mmse")
ITEMS = [q.key for q in MMSE.questions if q.kind == "choice" and q.required]


def all_correct() -> dict:
    return dict.fromkeys(ITEMS, "1")


class TestMmse:
    def test_there_are_30_items_in_six_domains(self):
        assert len(ITEMS) == 30
        result = MMSE.score(MMSE.clean(all_correct()))
        assert result.details["domains"] == {
            "Orientation": 10,
            "Apprentissage": 3,
            "Attention et calcul": 5,
            "Rappel": 3,
            "Langage": 8,
            "Praxies constructives": 1,
        }
        assert result.score == Decimal(30) and result.label == "30 / 30"

    def test_the_domain_sub_scores_add_up_to_the_total(self):
        answers = all_correct()
        for key in ("annee", "jour_mois", "calcul_79", "calcul_72", "rappel2", "rappel3", "copie"):
            answers[key] = "0"
        result = MMSE.score(MMSE.clean(answers))
        assert result.score == 23
        assert result.details["domains"]["Orientation"] == 8
        assert result.details["domains"]["Attention et calcul"] == 3
        assert result.details["domains"]["Rappel"] == 1
        assert result.details["domains"]["Praxies constructives"] == 0
        assert "orientation 8/10" in result.interpretation

    def test_the_result_gives_no_verdict_and_leaves_the_reading_to_the_clinician(self):
        for total in (30, 18, 10):
            answers = all_correct()
            for key in ITEMS[: 30 - total]:
                answers[key] = "0"
            result = MMSE.score(MMSE.clean(answers))
            assert result.level == "neutral"
            assert "revient au clinicien" in result.interpretation
            for verdict in ("normal", "pathologique", "démence"):
                assert verdict not in result.interpretation

    def test_the_socio_cultural_level_is_shown_but_does_not_change_the_score(self):
        without = MMSE.score(MMSE.clean(all_correct()))
        with_level = MMSE.score(MMSE.clean({**all_correct(), "niveau_socio_culturel": "2"}))
        assert with_level.score == without.score
        assert "certificat d'études" in with_level.interpretation

    def test_monde_backwards_is_recorded_apart_from_the_total(self):
        """GRECO: MONDE is asked of every subject and noted apart."""
        result = MMSE.score(MMSE.clean({**all_correct(), "monde": "3"}))
        assert result.score == 30
        assert "MONDE" in result.interpretation and result.details["monde"] == "3"

    def test_monde_above_5_is_refused(self):
        with pytest.raises(ValidationError) as error:
            MMSE.clean({**all_correct(), "monde": "6"})
        assert "monde" in error.value.message_dict

    def test_a_missing_item_is_an_error_on_that_item(self):
        answers = all_correct()
        del answers["repetition"]
        with pytest.raises(ValidationError) as error:
            MMSE.clean(answers)
        assert list(error.value.message_dict) == ["repetition"]

    def test_an_item_scored_2_is_refused(self):
        with pytest.raises(ValidationError) as error:
            MMSE.clean({**all_correct(), "copie": "2"})
        assert "copie" in error.value.message_dict

    def test_an_unknown_socio_cultural_level_is_refused(self):
        with pytest.raises(ValidationError) as error:
            MMSE.clean({**all_correct(), "niveau_socio_culturel": "5"})
        assert "niveau_socio_culturel" in error.value.message_dict
