"""NPI-ES (Cummings et al., Neurology 1994; nursing-home version Wood et al. 2000; French NPI-ES
form, SFGG/MobiQual): 12 domains, frequency 1–4 × severity 1–3 per domain present, total 0–144;
the carer's disruption (0–5) is not part of the total."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dui.assessments.instruments import get
from dui.assessments.instruments.behaviour import DOMAINS

NPI = get("npi_es")
KEYS = [key for key, *_rest in DOMAINS]


def none_present() -> dict:
    return {f"{key}_present": False for key in KEYS}


def present(answers: dict, key: str, frequency: int, severity: int, disruption: int) -> dict:
    return {
        **answers,
        f"{key}_present": True,
        f"{key}_frequence": str(frequency),
        f"{key}_gravite": str(severity),
        f"{key}_retentissement": str(disruption),
    }


class TestNpiEs:
    def test_twelve_domains_are_asked(self):
        assert len(KEYS) == 12

    def test_no_domain_present_gives_zero(self):
        result = NPI.score(NPI.clean(none_present()))
        assert result.score == 0 and result.level == "ok"

    def test_each_domain_scores_frequency_times_severity_and_disruption_is_apart(self):
        answers = present(none_present(), "agitation", 3, 2, 4)
        answers = present(answers, "sommeil", 4, 1, 1)
        result = NPI.score(NPI.clean(answers))
        assert result.score == Decimal(10)
        assert result.details["domains"] == {"agitation": 6, "sommeil": 4}
        assert result.details["disruption"] == 5
        assert "hors total" in result.interpretation

    def test_the_maximum_is_144(self):
        answers = none_present()
        for key in KEYS:
            answers = present(answers, key, 4, 3, 5)
        result = NPI.score(NPI.clean(answers))
        assert result.score == 144 and result.label == "144 / 144"

    def test_a_domain_present_must_be_rated(self):
        answers = {**none_present(), "apathie_present": True, "apathie_frequence": "2"}
        with pytest.raises(ValidationError) as error:
            NPI.clean(answers)
        assert set(error.value.message_dict) == {"apathie_gravite", "apathie_retentissement"}

    def test_a_domain_absent_cannot_be_rated(self):
        answers = {**none_present(), "anxiete_frequence": "2"}
        with pytest.raises(ValidationError) as error:
            NPI.clean(answers)
        assert "absent" in error.value.message_dict["anxiete_frequence"][0]

    def test_a_frequency_of_5_is_refused(self):
        answers = present(none_present(), "euphorie", 1, 1, 0)
        answers["euphorie_frequence"] = "5"
        with pytest.raises(ValidationError) as error:
            NPI.clean(answers)
        assert "euphorie_frequence" in error.value.message_dict

    def test_the_presence_of_each_domain_is_required(self):
        answers = none_present()
        del answers["hallucinations_present"]
        with pytest.raises(ValidationError) as error:
            NPI.clean(answers)
        assert list(error.value.message_dict) == ["hallucinations_present"]

    def test_the_live_subtotal_counts_the_domains_rated_so_far(self):
        draft = {"agitation_present": True, "agitation_frequence": "2", "agitation_gravite": "3"}
        partial = NPI.partial(draft)
        assert partial.complete is False
        assert "6" in partial.interpretation
