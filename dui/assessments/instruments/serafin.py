"""Needs assessment on the SERAFIN-PH nomenclature of needs (disability services).

The codes and labels are those of the ANS value set JDV_J285 "Besoins" (code system
terminologie-SERAFINPH, version 2023.1.0), shipped in dui/assessments/data/serafin/ with their
source. One question per leaf need (1.1.1 … 1.3.5.1), under the headings 1.1, 1.2 and 1.3, each
rated with an optional comment.

The rating is this project's convention, not part of the nomenclature: SERAFIN-PH describes needs
and defines no intensity scale (CNSA, « Guide de bonnes pratiques sur les usages qualitatifs des
nomenclatures des besoins et des prestations SERAFIN-PH », octobre 2020), and the ANS TDDUI
questionnaire "Évaluation SERAFIN" leaves each item a bare integer. Four levels — pas de besoin,
besoin léger, modéré, important — are enough to build the projet personnalisé on and stay readable.
The score is the number of needs identified (rated above "pas de besoin"); there is no verdict.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from .base import Instrument, Option, Question, Result, register

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "serafin" / "besoins_j285.csv"
COMMENT_SUFFIX = "_commentaire"

NO_NEED = "0"
IMPORTANT_NEED = "3"
RATING = (
    Option(NO_NEED, "Pas de besoin"),
    Option("1", "Besoin léger"),
    Option("2", "Besoin modéré"),
    Option(IMPORTANT_NEED, "Besoin important"),
)


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split("."))


def load_needs(path: Path = DATA_FILE) -> dict[str, str]:
    """{code: label} of the needs nomenclature, in code order."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = {row["code"]: row["display"] for row in csv.DictReader(handle)}
    return dict(sorted(rows.items(), key=lambda item: _code_key(item[0])))


NEEDS = load_needs()
LEAVES = tuple(
    code
    for code in NEEDS
    if code.count(".") >= 2 and not any(other.startswith(code + ".") for other in NEEDS)
)
HEADINGS = tuple(code for code in NEEDS if code.count(".") == 1)  # 1.1, 1.2, 1.3


def _heading(code: str) -> str:
    return ".".join(code.split(".")[:2])


def _questions() -> tuple[Question, ...]:
    questions = []
    for code in LEAVES:
        group = f"{_heading(code)} {NEEDS[_heading(code)]}"
        parent = code.rsplit(".", 1)[0]
        # A need of the fourth level is shown with its third-level family (1.3.2 …).
        help_text = f"{parent} {NEEDS[parent]}" if code.count(".") == 3 else ""
        questions.append(
            Question(code, f"{code} {NEEDS[code]}", options=RATING, group=group, help=help_text)
        )
        questions.append(
            Question(
                f"{code}{COMMENT_SUFFIX}",
                "Commentaire",
                kind="text",
                group=group,
                required=False,
            )
        )
    return tuple(questions)


@register
class SerafinNeeds(Instrument):
    code = "serafin_besoins"
    version = "2023.1"
    name = "Évaluation des besoins (nomenclature SERAFIN-PH)"
    short_name = "Besoins SERAFIN-PH"
    category = "educational"
    source = (
        "Nomenclature des besoins SERAFIN-PH (CNSA/DGCS), jeu de valeurs ANS JDV_J285 « Besoins », "
        "terminologie-SERAFINPH 2023.1.0 ; échelle de cotation propre au DUI"
    )
    # The support team assesses the needs (éducateurs, AES/AMP, psychologist, social worker,
    # chef de service); the chef de service or the director validates, as for the projet
    # personnalisé the assessment prepares.
    fill_professions = frozenset(
        {
            "educateur_specialise",
            "moniteur_educateur",
            "aes",
            "amp",
            "psychologue",
            "assistant_service_social",
            "chef_service",
        }
    )
    validate_professions = frozenset({"chef_service", "directeur"})
    score_min, score_max = 0, len(LEAVES)
    # More needs identified means more support to provide (for the chart's orientation).
    higher_is_worse = True
    questions = _questions()

    def points(self, cleaned: dict) -> Decimal | None:
        """Live subtotal: the number of needs identified so far."""
        rated = [code for code in LEAVES if code in cleaned]
        if not rated:
            return None
        return Decimal(sum(1 for code in rated if cleaned[code] != NO_NEED))

    def score(self, cleaned: dict) -> Result:
        identified = [code for code in LEAVES if cleaned[code] != NO_NEED]
        important = [code for code in LEAVES if cleaned[code] == IMPORTANT_NEED]
        by_heading = {
            heading: {
                "needs": sum(1 for code in identified if _heading(code) == heading),
                "important": sum(1 for code in important if _heading(code) == heading),
            }
            for heading in HEADINGS
        }
        summary = " ; ".join(
            f"{heading} {NEEDS[heading].removeprefix('Besoins ')} : {counts['needs']}"
            + (f" (dont {counts['important']} important(s))" if counts["important"] else "")
            for heading, counts in by_heading.items()
        )
        text = f"{len(identified)} besoin(s) identifié(s) sur {len(LEAVES)}. {summary}."
        if important:
            text += (
                " Besoins importants : "
                + ", ".join(f"{code} {NEEDS[code]}" for code in important)
                + "."
            )
        return Result(
            score=Decimal(len(identified)),
            label=f"{len(identified)} besoin(s) sur {len(LEAVES)}",
            interpretation=text,
            level="neutral",
            details={
                "identified": identified,
                "important": important,
                "by_heading": by_heading,
            },
        )
