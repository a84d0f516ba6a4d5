"""What every clinical and needs instrument definition must say: a stable code, a version, a
French name, its published source, a category of the record, professions that exist, questions
whose points stay within the declared score range (the sources are named in each instrument's
module and test file)."""

import json
import re
from decimal import Decimal

import pytest

from dui.access.matrix import DEFAULT_MATRIX
from dui.access.models import InformationCategory
from dui.accounts.models import ProfessionCode
from dui.assessments.instruments import get

CODES = (
    "mna_sf",
    "mna",
    "braden",
    "norton",
    "algoplus",
    "doloplus2",
    "eva",
    "en",
    "mmse",
    "tug",
    "tinetti",
    "chutes_has",
    "npi_es",
    "serafin_besoins",
)
INSTRUMENTS = [get(code) for code in CODES]
# Questions answered instead of another one (MNA-SF: F2 only when the BMI F1 is missing).
ALTERNATIVES = {"mna_sf": {"f2"}}


@pytest.mark.parametrize("instrument", INSTRUMENTS, ids=CODES)
class TestEveryInstrument:
    def test_it_is_registered_with_a_stable_code_a_version_a_name_and_a_source(self, instrument):
        assert re.fullmatch(r"[a-z][a-z0-9_]*", instrument.code)
        assert re.fullmatch(r"\d+(\.\d+)*", instrument.version)
        assert instrument.name and instrument.short_name and instrument.source
        assert instrument.category in InformationCategory.values

    def test_its_professions_exist_in_the_access_matrix(self, instrument):
        for professions in (instrument.fill_professions, instrument.validate_professions):
            assert professions, "each instrument names who fills and who validates it"
            assert professions <= set(ProfessionCode.values)
            assert professions <= set(DEFAULT_MATRIX)

    def test_at_least_one_profession_that_fills_it_may_write_its_category_by_default(
        self, instrument
    ):
        writers = {p for p, rights in DEFAULT_MATRIX.items() if rights[instrument.category] == "rw"}
        assert instrument.fill_professions & writers
        assert instrument.validate_professions & writers

    def test_question_keys_are_unique_and_choices_have_distinct_values(self, instrument):
        keys = [q.key for q in instrument.questions]
        assert len(keys) == len(set(keys))
        for q in instrument.questions:
            assert q.kind in {"choice", "number", "boolean", "text"}
            if q.kind == "choice":
                values = [o.value for o in q.options]
                assert values and len(values) == len(set(values))

    def test_the_points_of_the_options_stay_within_the_score_range(self, instrument):
        maxima = [
            max(Decimal(str(o.points)) for o in q.options if o.points is not None)
            for q in instrument.questions
            if q.kind == "choice"
            and any(o.points is not None for o in q.options)
            and q.key not in ALTERNATIVES.get(instrument.code, ())
        ]
        if maxima:
            assert sum(maxima) <= instrument.score_max

    def test_an_unknown_answer_key_is_refused(self, instrument):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError) as error:
            instrument.clean({"question_inventee": "1"}, complete=False)
        assert "question_inventee" in error.value.message_dict

    def test_an_empty_draft_is_accepted_and_gives_no_score(self, instrument):
        partial = instrument.partial({})
        assert partial is not None and partial.complete is False and partial.score is None
        json.dumps(partial.details)
