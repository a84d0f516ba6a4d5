"""Needs assessment on the SERAFIN-PH nomenclature of needs: the codes and labels of the ANS value
set JDV_J285 "Besoins" (terminologie-SERAFINPH 2023.1.0, shipped in dui/assessments/data/serafin/
and compared here with ../shared/data/serafin-ph/ when present); the four-level rating is the
DUI's own convention (the nomenclature defines none)."""

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from dui.assessments.instruments import get
from dui.assessments.instruments.serafin import DATA_FILE, LEAVES, NEEDS

SERAFIN = get("serafin_besoins")
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "serafin-ph"


def no_need() -> dict:
    return dict.fromkeys(LEAVES, "0")


class TestNomenclature:
    def test_the_25_leaf_needs_run_from_1_1_1_to_1_3_5_1(self):
        assert len(LEAVES) == 25
        assert LEAVES[0] == "1.1.1" and LEAVES[-1] == "1.3.5.1"
        assert "1.1.10" in LEAVES and "1.2.1" not in LEAVES and "1.3.3.5" in LEAVES

    def test_the_codes_are_those_of_the_j285_value_set_not_the_older_r265_table(self):
        assert NEEDS["1.2.1.3"] == "Besoins pour la mobilité"
        assert all(re.fullmatch(r"1(\.\d+){0,3}", code) for code in NEEDS)

    @pytest.mark.skipif(not SHARED.exists(), reason="../shared/data/serafin-ph/ absent")
    def test_the_shipped_copy_matches_the_ans_value_set_of_the_shared_data(self):
        fsh = (SHARED / "JDV-J285-Besoins-SERAFIN.fsh").read_text(encoding="utf-8")
        published = dict(re.findall(r'\$terminologie-SERAFINPH#([\d.]+) "([^"]+)"', fsh))
        assert published == NEEDS

    @pytest.mark.skipif(not SHARED.exists(), reason="../shared/data/serafin-ph/ absent")
    def test_the_shipped_copy_keeps_the_level_of_each_code(self):
        with (SHARED / "serafinph_codes.csv").open(encoding="utf-8") as handle:
            shared = {
                row["code"]: row["niveau"]
                for row in csv.DictReader(handle)
                if row["source_valueset"] == "JDV-J285-Besoins-SERAFIN"
            }
        with DATA_FILE.open(encoding="utf-8") as handle:
            shipped = {row["code"]: row["niveau"] for row in csv.DictReader(handle)}
        assert shipped == shared

    def test_the_source_and_the_licence_are_shipped_with_the_codes(self):
        folder = DATA_FILE.parent
        assert "J285" in (folder / "SOURCE.txt").read_text(encoding="utf-8")
        assert "MIT License" in (folder / "LICENSE.MIT.txt").read_text(encoding="utf-8")


class TestNeedsAssessment:
    def test_each_need_has_a_rating_and_an_optional_comment_under_its_heading(self):
        rating = SERAFIN.question("1.3.2.1")
        comment = SERAFIN.question("1.3.2.1_commentaire")
        assert rating.group == "1.3 Besoins pour la participation sociale"
        assert rating.label == "1.3.2.1 Besoins pour vivre dans un logement"
        assert rating.help.startswith("1.3.2 ")
        assert [o.label for o in rating.options] == [
            "Pas de besoin",
            "Besoin léger",
            "Besoin modéré",
            "Besoin important",
        ]
        assert comment.kind == "text" and comment.required is False
        assert {q.group for q in SERAFIN.questions} == {
            "1.1 Besoins en matière de santé somatique ou psychique",
            "1.2 Besoins en matière d'autonomie",
            "1.3 Besoins pour la participation sociale",
        }

    def test_the_score_counts_the_needs_rated_above_no_need(self):
        answers = {
            **no_need(),
            "1.1.3": "1",
            "1.2.1.3": "3",
            "1.3.4.2": "2",
            "1.2.1.3_commentaire": "Fauteuil roulant électrique, transferts à deux.",
        }
        result = SERAFIN.score(SERAFIN.clean(answers))
        assert result.score == Decimal(3)
        assert result.label == "3 besoin(s) sur 25"
        assert result.details["important"] == ["1.2.1.3"]
        assert result.details["by_heading"]["1.2"] == {"needs": 1, "important": 1}
        assert "1.2.1.3 Besoins pour la mobilité" in result.interpretation
        assert result.level == "neutral"

    def test_no_need_at_all_gives_zero(self):
        assert SERAFIN.score(SERAFIN.clean(no_need())).score == 0

    def test_a_rating_outside_the_scale_is_refused(self):
        with pytest.raises(ValidationError) as error:
            SERAFIN.clean({**no_need(), "1.1.8": "4"})
        assert "1.1.8" in error.value.message_dict

    def test_a_need_left_unrated_is_an_error_on_that_need(self):
        answers = no_need()
        del answers["1.3.3.4"]
        with pytest.raises(ValidationError) as error:
            SERAFIN.clean(answers)
        assert list(error.value.message_dict) == ["1.3.3.4"]

    def test_a_code_of_the_older_r265_table_is_not_a_question(self):
        with pytest.raises(ValidationError) as error:
            SERAFIN.clean({**no_need(), "1.1.1.1": "2"})
        assert "1.1.1.1" in error.value.message_dict

    def test_an_overlong_comment_is_refused(self):
        with pytest.raises(ValidationError) as error:
            SERAFIN.clean({**no_need(), "1.1.1_commentaire": "x" * 2001})
        assert "1.1.1_commentaire" in error.value.message_dict

    def test_it_belongs_to_the_educational_part_of_the_record(self):
        assert SERAFIN.category == "educational"
        assert SERAFIN.validate_professions == {"chef_service", "directeur"}
