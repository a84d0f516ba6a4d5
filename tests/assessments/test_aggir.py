"""AGGIR: adverbs, combination of sub-variables, and the GIR algorithm of CASF annexe 2-2.

About "published worked examples": neither the decree (CASF annexes 2-1 and 2-2, décret 2008-821)
nor the ministry pages publish a profile with its computed GIR, and no public implementation found
(LWH-21/Aggir calcul_gir.js, LWH-21/Pampa docs/_posts/2021-11-06-Grille_Aggir.md,
DSAGRO3F/Care_link backend/app/services/aggir/test_aggir.py) ships test vectors with expected
results. The examples below are therefore (1) the profiles the official description of each GIR
(guide of décret 2008-821, restated by service-public.fr) describes, and (2) profiles worked by hand
from the tables of annexe 2-2 — each with the group sums, so a reader checks them against the text.
The tables themselves are checked against the CSV transcription of annexe 2-2
(dui/assessments/data/, a copy of ../shared/data/aggir/), whose weights were also found identical in
the INSEE HID 1999 survey program GIRCALC2.SAS ("conforme à l'algorithme publié au J.O. du
30/04/97").
"""

import csv
import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dui.assessments import aggir
from dui.assessments.aggir import (
    DISCRIMINANT_VARIABLES,
    SUBVARIABLE_KEYS,
    code_from_adverbs,
    combine_subvariables,
    gir,
    gir_details,
    rang_for_group,
    variable_codes,
)

DATA = Path(aggir.__file__).resolve().parent / "data"
SHARED = Path(aggir.__file__).resolve().parents[2].parent / "shared" / "data" / "aggir"

ORDER = {"A": 0, "B": 1, "C": 2}
MORE_DEPENDENT = {"A": "B", "B": "C"}


def profile(codes: str) -> dict[str, str]:
    """'AABBAABA' → {coherence: A, orientation: A, toilette: B, …} in the order of the grid."""
    return dict(zip(DISCRIMINANT_VARIABLES, codes, strict=True))


def all_subvariables(code: str) -> dict[str, str]:
    return dict.fromkeys(SUBVARIABLE_KEYS, code)


a_code = st.sampled_from("ABC")
profiles = st.tuples(*[a_code] * len(DISCRIMINANT_VARIABLES)).map("".join)


# --- adverbs ----------------------------------------------------------------------------------


def test_four_adverbs_true_give_a_and_four_false_give_c():
    assert code_from_adverbs(True, True, True, True) == "A"
    assert code_from_adverbs(False, False, False, False) == "C"


@pytest.mark.parametrize(
    "adverbs",
    [a for a in itertools.product([True, False], repeat=4) if any(a) and not all(a)],
)
def test_any_mix_of_adverbs_gives_b(adverbs):
    assert code_from_adverbs(*adverbs) == "B"


def test_an_adverb_that_is_not_a_boolean_is_refused():
    with pytest.raises(ValueError, match="True or False"):
        code_from_adverbs(1, True, True, True)


# --- combination of sub-variables (guide 2008) ------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "sub_codes", "expected"),
    [
        # toilette (haut, bas): AA → A, CC → C, else B
        ("toilette", "AA", "A"),
        ("toilette", "CC", "C"),
        ("toilette", "AC", "B"),
        ("toilette", "CA", "B"),
        ("toilette", "BC", "B"),
        ("toilette", "AB", "B"),
        # habillage (haut, moyen, bas): AAA → A, CCC → C, else B
        ("habillage", "AAA", "A"),
        ("habillage", "CCC", "C"),
        ("habillage", "CCA", "B"),
        ("habillage", "ACC", "B"),
        ("habillage", "BBB", "B"),
        ("habillage", "AAC", "B"),
        # alimentation (se servir, manger): AA → A, CC/BC/CB → C, else B — AC and CA give B
        ("alimentation", "AA", "A"),
        ("alimentation", "CC", "C"),
        ("alimentation", "BC", "C"),
        ("alimentation", "CB", "C"),
        ("alimentation", "AC", "B"),
        ("alimentation", "CA", "B"),
        ("alimentation", "AB", "B"),
        ("alimentation", "BB", "B"),
        # élimination, cohérence, orientation: AA → A, any C → C, else B
        ("elimination", "AA", "A"),
        ("elimination", "AC", "C"),
        ("elimination", "CA", "C"),
        ("elimination", "BB", "B"),
        ("elimination", "AB", "B"),
        ("coherence", "CA", "C"),
        ("coherence", "BA", "B"),
        ("orientation", "AC", "C"),
        ("orientation", "BB", "B"),
        # no sub-variables: the code passes through
        ("transferts", "B", "B"),
        ("deplacements_interieurs", "C", "C"),
        ("deplacements_exterieurs", "A", "A"),
        ("alerter", "B", "B"),
    ],
)
def test_sub_variables_combine_as_the_2008_guide_says(variable, sub_codes, expected):
    assert combine_subvariables(variable, list(sub_codes)) == expected


@pytest.mark.parametrize("variable", list(aggir.SUBVARIABLES))
def test_a_more_dependent_sub_variable_never_makes_its_variable_less_dependent(variable):
    width = len(aggir.SUBVARIABLES[variable])
    for sub_codes in itertools.product("ABC", repeat=width):
        before = combine_subvariables(variable, list(sub_codes))
        for i, code in enumerate(sub_codes):
            if code == "C":
                continue
            worse = list(sub_codes)
            worse[i] = MORE_DEPENDENT[code]
            assert ORDER[combine_subvariables(variable, worse)] >= ORDER[before]


def test_variable_codes_combine_the_17_sub_variables_into_the_10_variables():
    subvariables = all_subvariables("A") | {
        "coherence_communication": "B",
        "orientation_espace": "C",
        "toilette_bas": "C",
        "habillage_moyen": "B",
        "alimentation_se_servir": "C",
        "elimination_urinaire": "B",
        "transferts": "B",
        "alerter": "C",
    }
    assert variable_codes(subvariables) == {
        "coherence": "B",
        "orientation": "C",
        "toilette": "B",
        "habillage": "B",
        "alimentation": "B",
        "elimination": "B",
        "transferts": "B",
        "deplacements_interieurs": "A",
        "deplacements_exterieurs": "A",
        "alerter": "C",
    }


def test_variable_codes_refuse_a_missing_sub_variable():
    subvariables = all_subvariables("A")
    del subvariables["habillage_moyen"]
    with pytest.raises(ValueError, match=r"missing AGGIR sub-variable.*habillage_moyen"):
        variable_codes(subvariables)


def test_variable_codes_refuse_an_unknown_sub_variable():
    with pytest.raises(ValueError, match=r"unknown AGGIR sub-variable.*toilette_milieu"):
        variable_codes(all_subvariables("A") | {"toilette_milieu": "A"})


def test_variable_codes_refuse_a_code_outside_a_b_c():
    with pytest.raises(ValueError, match="toilette_haut: code must be"):
        variable_codes(all_subvariables("A") | {"toilette_haut": "D"})


# --- the tables are the official ones ------------------------------------------------------------


def read_csv(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_weights_are_those_of_annexe_2_2():
    rows = read_csv(DATA, "aggir_group_weights.csv")
    assert len(rows) == 8 * 10
    for row in rows:
        weight = (int(row["poids_C"]), int(row["poids_B"]))
        if row["variable"] in DISCRIMINANT_VARIABLES:
            assert aggir.WEIGHTS[row["groupe"]][row["variable"]] == weight, row
        else:  # déplacements extérieurs, communication: weigh nothing in every group
            assert row["variable"] in aggir.ZERO_WEIGHT_VARIABLES
            assert weight == (0, 0), row


def test_the_thresholds_and_the_rang_to_gir_table_are_those_of_annexe_2_2():
    thresholds: dict[str, list[tuple[int, int]]] = {}
    last_rang = None
    for row in read_csv(DATA, "aggir_group_thresholds.csv"):
        if row["seuil_min_inclus"]:
            thresholds.setdefault(row["groupe"], []).append(
                (int(row["seuil_min_inclus"]), int(row["rang"]))
            )
        else:
            last_rang = int(row["rang"])
    assert {g: tuple(t) for g, t in thresholds.items()} == aggir.THRESHOLDS
    assert last_rang == aggir.LAST_RANG
    assert {
        int(row["rang"]): int(row["gir"]) for row in read_csv(DATA, "aggir_rang_to_gir.csv")
    } == aggir.RANG_TO_GIR


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/aggir is not present")
@pytest.mark.parametrize(
    "name",
    [
        "aggir_group_weights.csv",
        "aggir_group_thresholds.csv",
        "aggir_rang_to_gir.csv",
        "gmp_points.csv",
    ],
)
def test_the_shipped_tables_are_an_unchanged_copy_of_the_shared_reference_data(name):
    assert (DATA / name).read_bytes() == (SHARED / name).read_bytes()


# --- examples -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "expected_gir", "why"),
    [
        # Profiles read from the official description of each GIR (décret 2008-821 guide,
        # service-public.fr "grille AGGIR"). Order: cohérence, orientation, toilette, habillage,
        # alimentation, élimination, transferts, déplacements intérieurs.
        ("CCCCCCCC", 1, "confiné au lit, fonctions mentales gravement altérées"),
        ("BBCCBCCC", 2, "confiné au lit, fonctions mentales pas totalement altérées"),
        ("CCBBBBAA", 2, "fonctions mentales altérées, se déplace"),
        ("AACCBCBB", 3, "autonomie mentale, aide plusieurs fois par jour pour le corps"),
        ("AABBAABA", 4, "n'assume pas seul ses transferts, une fois levé se déplace"),
        ("AABBBAAA", 4, "se déplace, aide pour les soins corporels et les repas"),
        ("AABAAAAA", 5, "aide ponctuelle pour la toilette"),
        ("AAAAAAAA", 6, "autonome pour les actes essentiels"),
    ],
)
def test_the_profile_of_each_official_gir_description_gets_that_gir(codes, expected_gir, why):
    assert gir(profile(codes)) == expected_gir, why


@pytest.mark.parametrize(
    ("codes", "sums", "rang", "expected_gir"),
    [
        # Worked by hand from annexe 2-2 (group: sum of the weights of the B and C variables).
        # All C: group A = 2000+1200+40+40+60+100+800+200 = 4440 ≥ 4380 → rang 1 → GIR 1.
        ("CCCCCCCC", {"A": 4440}, 1, 1),
        # Cohérence and orientation C, rest A: A = 2000+1200 = 3200 < 3390;
        # B = 1500+1200 = 2700 ≥ 2016 → rang 4 → GIR 2.
        ("CCAAAAAA", {"A": 3200, "B": 2700}, 4, 2),
        # All B: A = 16+16+20+16+120+32 = 220; B = 320+120+16+16+0+16+120−40 = 568;
        # C = 16+16+20+20+200+40 = 312; D = 200×3 = 600; E = 100×5 = 500; F = 100×7 = 700;
        # G = 200×5+100 = 1100 ≥ 650 → rang 10 → GIR 4.
        (
            "BBBBBBBB",
            {"A": 220, "B": 568, "C": 312, "D": 600, "E": 500, "F": 700, "G": 1100},
            10,
            4,
        ),
        # Toilette and habillage B, transferts B: H = 2000+2000+2000 = 6000 ≥ 4000 → rang 11.
        (
            "AABBAABA",
            {"A": 152, "B": 152, "C": 232, "D": 200, "E": 300, "F": 300, "G": 600, "H": 6000},
            11,
            4,
        ),
        # Toilette B alone: H = 2000 → rang 12 → GIR 5.
        (
            "AABAAAAA",
            {"A": 16, "B": 16, "C": 16, "D": 0, "E": 100, "F": 100, "G": 200, "H": 2000},
            12,
            5,
        ),
        # Cohérence C alone: every group below its threshold, H = 0 → rang 13 → GIR 6
        # (the official algorithm: a mental disorder alone does not make a GIR below 6).
        (
            "CAAAAAAA",
            {"A": 2000, "B": 1500, "C": 0, "D": 0, "E": 400, "F": 200, "G": 150, "H": 0},
            13,
            6,
        ),
    ],
)
def test_hand_worked_profiles_give_the_group_sums_rang_and_gir_of_annexe_2_2(
    codes, sums, rang, expected_gir
):
    result = gir_details(profile(codes))
    assert result.sums == sums
    assert result.rang == rang
    assert result.gir == expected_gir


def test_all_a_is_gir_6_and_all_c_is_gir_1():
    assert gir(profile("AAAAAAAA")) == 6
    assert gir(profile("CCCCCCCC")) == 1


def test_the_gir_of_the_17_sub_variables_all_a_is_6_and_all_c_is_1():
    assert gir(variable_codes(all_subvariables("A"))) == 6
    assert gir(variable_codes(all_subvariables("C"))) == 1


# --- every threshold edge of annexe 2-2 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "lowest", "rang"),
    [(g, lowest, rang) for g, ts in aggir.THRESHOLDS.items() for lowest, rang in ts],
)
def test_a_group_sum_equal_to_a_threshold_gives_its_rang_and_one_below_does_not(
    group, lowest, rang
):
    assert rang_for_group(group, lowest) == rang
    below = rang_for_group(group, lowest - 1)
    assert below != rang
    assert below is None or below > rang


def test_group_h_gives_rang_13_below_2000_and_never_passes_on():
    assert rang_for_group("H", 1999) == 13
    assert rang_for_group("H", 0) == 13


@pytest.mark.parametrize(
    ("codes", "group", "group_sum", "rang"),
    [
        # Real profiles whose sum in the group is exactly the threshold (lower bound included),
        # then the nearest sum reachable below it. Group A's 3 390 cannot be reached exactly:
        # its nearest sums are 3 392 and 3 388.
        ("CCCCACCC", "A", 4380, 1),
        ("CCABCCCC", "A", 4376, 2),
        ("CCACACCA", "A", 4140, 2),
        ("CCABBCCA", "A", 4136, 3),
        ("CCAACCAB", "A", 3392, 3),
        ("CCAABBBB", "A", 3388, 4),
        ("ACAAABCA", "B", 2016, 4),
        ("ACABCBCC", "B", 2012, 6),
        ("AACCCCCC", "C", 1700, 5),
        ("AABCCCCC", "C", 1676, 6),
        ("AABBAACC", "C", 1432, 6),
        ("AAAAABCC", "C", 1420, 7),
        ("AAAAABCC", "D", 2400, 7),
        ("AAAAAACC", "D", 2200, 12),
        ("AAAABCBC", "E", 1200, 8),
        ("AAAAACBC", "E", 1100, 9),
        ("AAAAACBC", "F", 800, 9),
        ("AAAAAACC", "F", 700, 12),
        ("ACAAABBB", "G", 650, 10),
        ("AAAAAACC", "G", 600, 12),
        ("AAAAABBA", "H", 4000, 11),
        ("AAAAAABB", "H", 3000, 12),
        ("AAAAAABA", "H", 2000, 12),
        ("AAAAAAAB", "H", 1000, 13),
    ],
)
def test_profiles_at_each_threshold_edge_get_the_expected_rang(codes, group, group_sum, rang):
    result = gir_details(profile(codes))
    assert result.sums[group] == group_sum
    assert result.rang == rang
    assert result.gir == aggir.RANG_TO_GIR[rang]


# --- bad input ------------------------------------------------------------------------------------


def test_a_missing_variable_is_refused_with_its_name():
    variables = profile("AAAAAAAA")
    del variables["elimination"]
    with pytest.raises(ValueError, match=r"missing AGGIR variable.*elimination"):
        gir(variables)


@pytest.mark.parametrize("bad", ["D", "a", "", None, 1])
def test_a_value_outside_a_b_c_is_refused(bad):
    with pytest.raises(ValueError, match="transferts: code must be 'A', 'B' or 'C'"):
        gir(profile("AAAAAAAA") | {"transferts": bad})


def test_an_unknown_variable_is_refused():
    with pytest.raises(ValueError, match=r"unknown AGGIR variable.*toilettes"):
        gir(profile("AAAAAAAA") | {"toilettes": "A"})


def test_the_zero_weight_variables_may_be_passed_and_change_nothing():
    variables = profile("AABBAABA")
    assert gir(variables | {"deplacements_exterieurs": "C", "alerter": "C"}) == gir(variables)


# --- properties ---------------------------------------------------------------------------------

# The official tables are not monotone everywhere (see aggir's docstring): group H weighs
# transferts B 2 000 but C 1 000, and group B weighs déplacements intérieurs B −40, C −80.
# These are ALL the steps (profile, variable made one level more dependent) of the 3^8 profiles
# where the GIR goes up — always by exactly one level. Found by the exhaustive test below.
NON_MONOTONE_STEPS = {
    # transferts B → C, déplacements intérieurs A: the profile ends in group H.
    **dict.fromkeys(
        [
            ("AAAAAABA", "transferts"),
            ("AAAAABBA", "transferts"),
            ("AAAABABA", "transferts"),
            ("AAABAABA", "transferts"),
            ("AABAAABA", "transferts"),
            ("ABAAAABA", "transferts"),
            ("ABAAABBA", "transferts"),
            ("ABAABABA", "transferts"),
            ("ABABAABA", "transferts"),
            ("ABBAAABA", "transferts"),
            ("BAAAAABA", "transferts"),
            ("BAAAABBA", "transferts"),
            ("BAAABABA", "transferts"),
            ("BAABAABA", "transferts"),
            ("BABAAABA", "transferts"),
            ("BBAAAABA", "transferts"),
        ],
        "group H: transferts B 2000 > C 1000",
    ),
    # déplacements intérieurs A → B, orientation C and transferts C: group B falls under 2 016.
    **dict.fromkeys(
        [
            ("ACAAABCA", "deplacements_interieurs"),
            ("ACABAACA", "deplacements_interieurs"),
            ("ACABABCA", "deplacements_interieurs"),
            ("ACABBACA", "deplacements_interieurs"),
            ("ACACAACA", "deplacements_interieurs"),
            ("ACACBACA", "deplacements_interieurs"),
            ("ACBAAACA", "deplacements_interieurs"),
            ("ACBAABCA", "deplacements_interieurs"),
            ("ACBABACA", "deplacements_interieurs"),
            ("ACBBAACA", "deplacements_interieurs"),
            ("ACBBABCA", "deplacements_interieurs"),
            ("ACBBBACA", "deplacements_interieurs"),
            ("ACCAAACA", "deplacements_interieurs"),
            ("ACCABACA", "deplacements_interieurs"),
        ],
        "group B: déplacements intérieurs B weighs −40",
    ),
}


def one_step_more_dependent(codes: str, variable: str) -> str | None:
    i = DISCRIMINANT_VARIABLES.index(variable)
    if codes[i] == "C":
        return None
    return codes[:i] + MORE_DEPENDENT[codes[i]] + codes[i + 1 :]


@given(profiles, st.sampled_from(DISCRIMINANT_VARIABLES))
def test_making_one_variable_more_dependent_never_raises_the_gir_except_the_official_quirks(
    codes, variable
):
    worse = one_step_more_dependent(codes, variable)
    if worse is None:
        return
    before, after = gir(profile(codes)), gir(profile(worse))
    if (codes, variable) in NON_MONOTONE_STEPS:
        assert after == before + 1
    else:
        assert after <= before


@given(profiles, st.sampled_from(DISCRIMINANT_VARIABLES[:6]))
def test_cognition_and_personal_care_variables_are_monotone_without_exception(codes, variable):
    worse = one_step_more_dependent(codes, variable)
    if worse is not None:
        assert gir(profile(worse)) <= gir(profile(codes))


def test_the_list_of_non_monotone_steps_is_exactly_what_the_official_tables_give():
    found = set()
    for combination in itertools.product("ABC", repeat=len(DISCRIMINANT_VARIABLES)):
        codes = "".join(combination)
        for variable in DISCRIMINANT_VARIABLES:
            worse = one_step_more_dependent(codes, variable)
            if worse is not None and gir(profile(worse)) > gir(profile(codes)):
                found.add((codes, variable))
    assert found == set(NON_MONOTONE_STEPS)


@given(profiles)
def test_the_gir_is_always_between_1_and_6(codes):
    result = gir_details(profile(codes))
    assert 1 <= result.gir <= 6
    assert result.gir == aggir.RANG_TO_GIR[result.rang]


@given(st.tuples(*[a_code] * len(SUBVARIABLE_KEYS)))
def test_any_set_of_17_sub_variable_codes_gives_a_gir_between_1_and_6(sub_codes):
    variables = variable_codes(dict(zip(SUBVARIABLE_KEYS, sub_codes, strict=True)))
    assert 1 <= gir(variables) <= 6
