"""The rules of falls and wounds against their texts (dui/care/incidents/rules.py)."""

from datetime import date

from dui.care.incidents import rules


class TestRepeatedFallsHasSfgg2009:
    """HAS/SFGG 2009 « Évaluation et prise en charge des personnes âgées faisant des chutes
    répétées »: « au moins deux chutes sur douze mois »."""

    def test_a_single_fall_is_not_a_repeated_fall(self):
        assert not rules.is_repeated_fall(date(2026, 3, 15), [])

    def test_two_falls_twelve_calendar_months_apart_are_repeated(self):
        assert rules.is_repeated_fall(date(2027, 3, 15), [date(2026, 3, 15)])

    def test_a_fall_one_day_more_than_twelve_months_before_does_not_count(self):
        assert not rules.is_repeated_fall(date(2027, 3, 15), [date(2026, 3, 14)])

    def test_a_later_fall_declared_after_counts_too(self):
        assert rules.is_repeated_fall(date(2026, 1, 10), [date(2026, 6, 1)])

    def test_twelve_months_before_the_31st_is_the_last_day_of_a_shorter_month(self):
        assert rules.months_before(date(2025, 2, 28), 12) == date(2024, 2, 28)
        assert rules.months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
        assert rules.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)


class TestNoReverseStagingNpuapEpuap:
    """NPUAP/EPUAP 2009 (reprised 2014/2019): « le stade de la plaie ne régresse pas lorsqu'elle
    cicatrise : une plaie de stade/catégorie 4 doit toujours être documentée en tant que
    telle »."""

    def test_a_healing_category_4_stays_category_4(self):
        assert rules.stage_regresses("2", ["3", "4"]) == "4"

    def test_the_same_or_a_higher_category_is_accepted(self):
        assert rules.stage_regresses("4", ["4"]) is None
        assert rules.stage_regresses("3", ["2"]) is None

    def test_unstageable_and_deep_tissue_never_block_a_numbered_category(self):
        assert rules.stage_regresses("3", ["unstageable", "deep_tissue"]) is None
        assert rules.stage_regresses("unstageable", ["4"]) is None
