"""AGGIR grid (Autonomie gérontologique groupes iso-ressources): adverbs → codes, sub-variables →
variables, variables → GIR. Pure Python, no Django: the Django layer (the "aggir" instrument)
turns the ValueErrors raised here into French messages.

Texts followed:
- the adverbs and the combination of sub-variables: guide de remplissage de la grille AGGIR, annexe
  2-1 of the Code de l'action sociale et des familles as replaced by décret n° 2008-821 du 21 août
  2008 (the guide is published only as a facsimile; the rules are transcribed in
  ../shared/data/README.md);
- the algorithm: CASF annexe 2-2 "Algorithme de la grille AGGIR" (first published as annexe II of
  décret n° 97-427 du 28 avril 1997), tables shipped in dui/assessments/data/ (see SOURCE.txt).

The algorithm is the official one, quirks included. It is NOT monotone in every variable: group H
weighs "transferts" B (2 000) more than C (1 000), and group B gives negative weights to
"déplacements intérieurs" (B −40, C −80). So, for a few profiles, a more dependent answer gives a
higher (less dependent) GIR, by one level; e.g. transferts B with every other variable A is GIR 5,
transferts C with every other variable A is GIR 6. The tests list those profiles exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

CODES = ("A", "B", "C")

# --- 1. Adverbs → code ------------------------------------------------------------------------


def code_from_adverbs(s: bool, t: bool, c: bool, h: bool) -> str:
    """Guide 2008: the person does the activity alone Spontanément, Totalement, Correctement,
    Habituellement. All four "yes" → A; all four "no" → C; otherwise B."""
    answers = (s, t, c, h)
    if not all(isinstance(a, bool) for a in answers):
        raise ValueError("each adverb (s, t, c, h) must be True or False")
    if all(answers):
        return "A"
    if not any(answers):
        return "C"
    return "B"


# --- 2. Sub-variables → variables -------------------------------------------------------------

# The 10 discriminant variables in the order of the grid, with their sub-variables (guide 2008).
# A variable without sub-variables is its own single sub-variable.
SUBVARIABLES: dict[str, tuple[str, ...]] = {
    "coherence": ("coherence_communication", "coherence_comportement"),
    "orientation": ("orientation_temps", "orientation_espace"),
    "toilette": ("toilette_haut", "toilette_bas"),
    "habillage": ("habillage_haut", "habillage_moyen", "habillage_bas"),
    "alimentation": ("alimentation_se_servir", "alimentation_manger"),
    "elimination": ("elimination_urinaire", "elimination_fecale"),
    "transferts": ("transferts",),
    "deplacements_interieurs": ("deplacements_interieurs",),
    "deplacements_exterieurs": ("deplacements_exterieurs",),
    "alerter": ("alerter",),
}
SUBVARIABLE_KEYS: tuple[str, ...] = tuple(k for subs in SUBVARIABLES.values() for k in subs)

# THE combination rules, one table per variable: the listed combinations of sub-variable codes
# (in the order of SUBVARIABLES) give A or C; every other combination gives B.
# Source: guide de remplissage 2008 (décret 2008-821), as transcribed in ../shared/data/README.md.
# Public implementations disagree on alimentation A+C / C+A: here they give B (the guide's
# "CC, BC, CB → C", also the rule of the INSEE HID 1999 survey program girv3.sas); some
# calculators give C ("any C → C"). If the guide is read otherwise, change it HERE only.
COMBINATION_RULES: dict[str, dict[str, tuple[str, ...]]] = {
    # cohérence (communication, comportement): AA → A, any C → C, else B
    "coherence": {"A": ("AA",), "C": ("AC", "CA", "BC", "CB", "CC")},
    # orientation (temps, espace): AA → A, any C → C, else B
    "orientation": {"A": ("AA",), "C": ("AC", "CA", "BC", "CB", "CC")},
    # toilette (haut, bas): AA → A, CC → C, else B
    "toilette": {"A": ("AA",), "C": ("CC",)},
    # habillage (haut, moyen, bas): AAA → A, CCC → C, else B
    "habillage": {"A": ("AAA",), "C": ("CCC",)},
    # alimentation (se servir, manger): AA → A, CC / BC / CB → C, else B (so AC and CA → B)
    "alimentation": {"A": ("AA",), "C": ("CC", "BC", "CB")},
    # élimination (urinaire, fécale): AA → A, any C → C, else B
    "elimination": {"A": ("AA",), "C": ("AC", "CA", "BC", "CB", "CC")},
}


def combine_subvariables(variable: str, codes: Sequence[str]) -> str:
    """Code of one variable from the codes of its sub-variables, in the order of SUBVARIABLES."""
    if variable not in SUBVARIABLES:
        raise ValueError(f"unknown AGGIR variable {variable!r}")
    expected = len(SUBVARIABLES[variable])
    if len(codes) != expected:
        raise ValueError(f"{variable} takes {expected} sub-variable code(s), got {len(codes)}")
    for code in codes:
        _check_code(variable, code)
    rule = COMBINATION_RULES.get(variable)
    if rule is None:  # no sub-variables: the code passes through
        return codes[0]
    pattern = "".join(codes)
    for result in ("A", "C"):
        if pattern in rule[result]:
            return result
    return "B"


def variable_codes(subvariables: Mapping[str, str]) -> dict[str, str]:
    """The 10 discriminant variables' codes from the 17 sub-variable codes (SUBVARIABLE_KEYS).
    Every key is required; an unknown key or a code other than A/B/C raises ValueError."""
    unknown = sorted(set(subvariables) - set(SUBVARIABLE_KEYS))
    if unknown:
        raise ValueError(f"unknown AGGIR sub-variable(s): {', '.join(unknown)}")
    missing = [k for k in SUBVARIABLE_KEYS if k not in subvariables]
    if missing:
        raise ValueError(f"missing AGGIR sub-variable(s): {', '.join(missing)}")
    for key in SUBVARIABLE_KEYS:
        _check_code(key, subvariables[key])
    return {
        variable: combine_subvariables(variable, [subvariables[k] for k in subs])
        for variable, subs in SUBVARIABLES.items()
    }


# --- 3. Variables → GIR (CASF annexe 2-2) -----------------------------------------------------

# The 8 variables that count; déplacements extérieurs and communication (alerter) weigh 0 in
# every group of annexe 2-2, so they are not in the tables.
DISCRIMINANT_VARIABLES: tuple[str, ...] = (
    "coherence",
    "orientation",
    "toilette",
    "habillage",
    "alimentation",
    "elimination",
    "transferts",
    "deplacements_interieurs",
)
# Variables of the grid that may be passed to gir() but weigh nothing ("communication" is the
# 1997 name of "alerter").
ZERO_WEIGHT_VARIABLES: tuple[str, ...] = ("deplacements_exterieurs", "alerter", "communication")

# Annexe 2-2, "1 Calcul des rangs": per group, the value of each variable coded C and coded B
# (coded A: 0), in the order of DISCRIMINANT_VARIABLES. Same figures as
# dui/assessments/data/aggir_group_weights.csv (a test compares them).
# fmt: off
_WEIGHT_ROWS: dict[str, tuple[tuple[int, int], ...]] = {
    #  (C, B)  cohérence  orientation    toilette       habillage      alimentation   élimination    transferts     dépl. int.
    "A": (( 2000,    0), ( 1200,    0), (   40,   16), (   40,   16), (   60,   20), (  100,   16), (  800,  120), (  200,   32)),
    "B": (( 1500,  320), ( 1200,  120), (   40,   16), (   40,   16), (   60,    0), (  100,   16), (  800,  120), (  -80,  -40)),
    "C": ((    0,    0), (    0,    0), (   40,   16), (   40,   16), (   60,   20), (  160,   20), ( 1000,  200), (  400,   40)),
    "D": ((    0,    0), (    0,    0), (    0,    0), (    0,    0), ( 2000,  200), (  400,  200), ( 2000,  200), (  200,    0)),
    "E": ((  400,    0), (  400,    0), (  400,  100), (  400,  100), (  400,  100), (  800,  100), (  800,  100), (  200,    0)),
    "F": ((  200,  100), (  200,  100), (  500,  100), (  500,  100), (  500,  100), (  500,  100), (  500,  100), (  200,    0)),
    "G": ((  150,    0), (  150,    0), (  300,  200), (  300,  200), (  500,  200), (  500,  200), (  400,  200), (  200,  100)),
    "H": ((    0,    0), (    0,    0), ( 3000, 2000), ( 3000, 2000), ( 3000, 2000), ( 3000, 2000), ( 1000, 2000), ( 1000, 1000)),
}
# fmt: on
WEIGHTS: dict[str, dict[str, tuple[int, int]]] = {
    group: dict(zip(DISCRIMINANT_VARIABLES, row, strict=True))
    for group, row in _WEIGHT_ROWS.items()
}

# Annexe 2-2: per group, in order, (lowest sum included, rang); the first threshold reached gives
# the rang, none reached → next group. Group H always concludes (rang 13 below 2 000).
THRESHOLDS: dict[str, tuple[tuple[int, int], ...]] = {
    "A": ((4380, 1), (4140, 2), (3390, 3)),
    "B": ((2016, 4),),
    "C": ((1700, 5), (1432, 6)),
    "D": ((2400, 7),),
    "E": ((1200, 8),),
    "F": ((800, 9),),
    "G": ((650, 10),),
    "H": ((4000, 11), (2000, 12)),
}
LAST_RANG = 13  # group H, sum < 2 000

# Annexe 2-2, "2 Passage des rangs aux groupes".
RANG_TO_GIR: dict[int, int] = {
    1: 1,
    2: 2,
    3: 2,
    4: 2,
    5: 2,
    6: 2,
    7: 2,
    8: 3,
    9: 3,
    10: 4,
    11: 4,
    12: 5,
    13: 6,
}
GROUPS: tuple[str, ...] = tuple(THRESHOLDS)


@dataclass(frozen=True)
class GirResult:
    gir: int
    rang: int
    group: str  # the group whose threshold gave the rang
    sums: dict[str, int] = field(default_factory=dict)  # sum of each group tested, in order


def group_sum(group: str, variables: Mapping[str, str]) -> int:
    """Sum of the values of the variables coded C or B in one group (A weighs 0)."""
    total = 0
    for variable, (weight_c, weight_b) in WEIGHTS[group].items():
        code = variables[variable]
        if code == "C":
            total += weight_c
        elif code == "B":
            total += weight_b
    return total


def rang_for_group(group: str, total: int) -> int | None:
    """Rang given by a group's sum (lower bound included), or None: test the next group."""
    for lowest, rang in THRESHOLDS[group]:
        if total >= lowest:
            return rang
    return LAST_RANG if group == GROUPS[-1] else None


def gir_details(variables: Mapping[str, str]) -> GirResult:
    """The GIR with the rang, the concluding group and the sums tested (for display/audit)."""
    _check_variables(variables)
    sums: dict[str, int] = {}
    for group in GROUPS:
        total = group_sum(group, variables)
        sums[group] = total
        rang = rang_for_group(group, total)
        if rang is not None:
            return GirResult(gir=RANG_TO_GIR[rang], rang=rang, group=group, sums=sums)
    raise AssertionError("group H always gives a rang")  # pragma: no cover


def gir(variables: Mapping[str, str]) -> int:
    """GIR 1 (most dependent) to 6 from the codes of the 8 discriminant variables
    (keys DISCRIMINANT_VARIABLES, values "A"/"B"/"C"). The zero-weight variables of the grid
    (ZERO_WEIGHT_VARIABLES) may be present and are ignored; any other key raises ValueError."""
    return gir_details(variables).gir


def _check_variables(variables: Mapping[str, str]) -> None:
    unknown = sorted(set(variables) - set(DISCRIMINANT_VARIABLES) - set(ZERO_WEIGHT_VARIABLES))
    if unknown:
        raise ValueError(f"unknown AGGIR variable(s): {', '.join(unknown)}")
    missing = [v for v in DISCRIMINANT_VARIABLES if v not in variables]
    if missing:
        raise ValueError(f"missing AGGIR variable(s): {', '.join(missing)}")
    for variable, code in variables.items():
        _check_code(variable, code)


def _check_code(name: str, code: object) -> None:
    if code not in CODES:
        raise ValueError(f"{name}: code must be 'A', 'B' or 'C', got {code!r}")
