"""The AGGIR grid as an instrument: questions, checking the answers, score and live result."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dui.accounts.models import ProfessionCode
from dui.assessments import aggir, instruments
from dui.assessments.instruments.aggir_grid import ILLUSTRATIVE_KEYS, AggirGrid

ALL_YES = {"s": True, "t": True, "c": True, "h": True}
ALL_NO = {"s": False, "t": False, "c": False, "h": False}
PARTLY = {"s": True, "t": False, "c": True, "h": True}
ADVERBS_FOR = {"A": ALL_YES, "B": PARTLY, "C": ALL_NO}


@pytest.fixture
def grid():
    return instruments.get("aggir")


def answers_from_codes(subvariables: dict[str, str], illustrative: str = "A") -> dict:
    answers = {key: ADVERBS_FOR[code] for key, code in subvariables.items()}
    answers.update({key: ADVERBS_FOR[illustrative] for key in ILLUSTRATIVE_KEYS})
    return answers


def all_answers(code: str = "A") -> dict:
    return answers_from_codes(dict.fromkeys(aggir.SUBVARIABLE_KEYS, code))


# --- definition ------------------------------------------------------------------------------


def test_the_registry_returns_the_aggir_grid_of_2008():
    grid = instruments.get("aggir")
    assert isinstance(grid, AggirGrid)
    assert instruments.get("aggir", "2008") is grid
    assert grid.name == "Grille AGGIR"
    assert grid.short_name == "AGGIR"
    assert grid.category == "care"


def test_any_profession_fills_it_and_a_physician_validates_it(grid):
    assert grid.fill_professions is None
    assert grid.validate_professions == {"medecin_coordonnateur", "medecin"}
    assert grid.validate_professions <= set(ProfessionCode.values)


def test_a_lower_gir_is_worse_on_charts(grid):
    assert (grid.score_min, grid.score_max, grid.higher_is_worse) == (1, 6, False)


def test_it_asks_the_17_discriminant_and_the_7_illustrative_variables_with_the_adverbs(grid):
    keys = [q.key for q in grid.questions]
    assert keys == list(aggir.SUBVARIABLE_KEYS) + list(ILLUSTRATIVE_KEYS)
    assert len(keys) == 24
    assert {q.kind for q in grid.questions} == {"adverbs"}
    assert all(q.required and q.label and q.help for q in grid.questions)
    groups = list(dict.fromkeys(q.group for q in grid.questions[:17]))
    assert groups == [
        "Cohérence",
        "Orientation",
        "Toilette",
        "Habillage",
        "Alimentation",
        "Élimination",
        "Transferts",
        "Déplacements",
        "Alerter",
    ]
    assert grid.question("toilette_haut").help.startswith("Visage, tronc")


# --- checking the answers ---------------------------------------------------------------------


def test_a_missing_variable_is_refused_with_a_french_message_on_its_key(grid):
    answers = all_answers()
    del answers["transferts"]
    with pytest.raises(ValidationError) as error:
        grid.clean(answers)
    assert error.value.message_dict == {"transferts": ["Répondez à cette question."]}


def test_an_adverbs_answer_without_h_is_refused(grid):
    answers = all_answers() | {"toilette_bas": {"s": True, "t": True, "c": True}}
    with pytest.raises(ValidationError) as error:
        grid.clean(answers)
    assert error.value.message_dict == {
        "toilette_bas": ["Indiquez chacun des quatre adverbes (S, T, C, H)."]
    }


def test_an_adverb_that_is_not_yes_or_no_is_refused(grid):
    answers = all_answers() | {"alerter": {"s": "oui", "t": True, "c": True, "h": True}}
    with pytest.raises(ValidationError) as error:
        grid.clean(answers)
    assert error.value.message_dict == {"alerter": ["Chaque adverbe est coché ou non."]}


def test_an_unknown_key_is_refused(grid):
    with pytest.raises(ValidationError) as error:
        grid.clean(all_answers() | {"communication": ALL_YES})
    assert error.value.message_dict == {"communication": ["Question inconnue pour cet instrument."]}


def test_an_illustrative_variable_is_required_to_complete_the_grid(grid):
    answers = all_answers()
    del answers["menage"]
    assert not grid.is_complete(answers)


# --- score ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "gir", "level"),
    [("A", 6, "ok"), ("B", 4, "warn"), ("C", 1, "danger")],
)
def test_the_score_is_the_gir_with_its_label_description_and_level(grid, code, gir, level):
    result = grid.score(grid.clean(all_answers(code)))
    assert result.score == Decimal(gir)
    assert result.label == f"GIR {gir}"
    assert result.level == level
    assert result.complete
    assert result.details["gir"] == gir


def test_the_interpretation_is_the_official_description_of_the_gir(grid):
    assert grid.score(grid.clean(all_answers("C"))).interpretation.startswith(
        "Dépendance totale : personne confinée au lit ou au fauteuil"
    )
    assert grid.score(grid.clean(all_answers("A"))).interpretation.startswith("Autonomie")


@pytest.mark.parametrize(("codes", "level"), [("BBCCBCCC", "danger"), ("AACCBCBB", "warn")])
def test_gir_2_is_danger_and_gir_3_is_warn(grid, codes, level):
    subvariables = {}
    for variable, code in zip(aggir.DISCRIMINANT_VARIABLES, codes, strict=True):
        for key in aggir.SUBVARIABLES[variable]:
            subvariables[key] = code
    subvariables |= {"deplacements_exterieurs": "A", "alerter": "A"}
    assert grid.score(grid.clean(answers_from_codes(subvariables))).level == level


def test_the_details_keep_the_codes_and_are_json_serialisable(grid):
    answers = all_answers() | {"alimentation_se_servir": ALL_NO, "gestion": PARTLY}
    details = grid.score(grid.clean(answers)).details
    assert details["subvariables"]["alimentation_se_servir"] == "C"
    assert details["variables"]["alimentation"] == "B"  # C + A → B (guide 2008)
    assert details["illustrative"]["gestion"] == "B"
    assert json.loads(json.dumps(details)) == details


def test_the_illustrative_variables_do_not_change_the_gir(grid):
    subvariables = dict.fromkeys(aggir.SUBVARIABLE_KEYS, "A") | {"toilette_bas": "B"}
    gir_a = grid.score(grid.clean(answers_from_codes(subvariables, "A"))).score
    gir_c = grid.score(grid.clean(answers_from_codes(subvariables, "C"))).score
    assert gir_a == gir_c == Decimal(5)


adverbs = st.fixed_dictionaries({a: st.booleans() for a in "stch"})


@given(st.fixed_dictionaries({key: adverbs for key in aggir.SUBVARIABLE_KEYS + ILLUSTRATIVE_KEYS}))
def test_the_score_is_the_gir_of_the_pure_algorithm(answers):
    grid = instruments.get("aggir")
    subvariables = {key: aggir.code_from_adverbs(**answers[key]) for key in aggir.SUBVARIABLE_KEYS}
    expected = aggir.gir(aggir.variable_codes(subvariables))
    assert grid.score(grid.clean(answers)).score == Decimal(expected)
    assert grid.partial(answers).score == Decimal(expected)


# --- live result while filling ----------------------------------------------------------------


def test_while_a_discriminant_variable_is_missing_the_gir_waits(grid):
    answers = {"coherence_communication": ALL_YES, "coherence_comportement": PARTLY}
    answers |= {"toilette_haut": ALL_NO}
    result = grid.partial(answers)
    assert result.score is None
    assert not result.complete
    assert result.label == "1 / 8 variables discriminantes"
    assert result.interpretation == "GIR après réponse à toutes les variables discriminantes."
    assert result.details["variables"] == {"coherence": "B"}
    assert result.details["subvariables"] == {
        "coherence_communication": "A",
        "coherence_comportement": "B",
        "toilette_haut": "C",
    }


def test_the_gir_shows_once_the_8_discriminant_variables_are_answered(grid):
    answers = all_answers("C")
    for key in ("deplacements_exterieurs", "alerter", *ILLUSTRATIVE_KEYS):
        del answers[key]
    result = grid.partial(answers)
    assert result.score == Decimal(1)
    assert result.label == "GIR 1"
    assert not result.complete  # the grid still has to be finished before saving
    assert grid.partial(all_answers("C")).complete


def test_a_wrong_answer_while_filling_gives_no_live_result(grid):
    assert grid.partial({"transferts": {"s": True}}) is None
