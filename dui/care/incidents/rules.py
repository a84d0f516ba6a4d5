"""The two clinical rules of falls and wounds, without Django (DESIGN §5: a rule from a text
lives in its own module and names it).

- Repeated falls — HAS / SFGG, « Évaluation et prise en charge des personnes âgées faisant des
  chutes répétées », recommandation de bonne pratique, avril 2009: « chutes répétées : au moins
  deux chutes sur douze mois » (the definition `dui/assessments/instruments/falls.py` cites
  too). Twelve months are read as calendar months in the establishment's time zone: a fall on
  15 March 2026 and one on 15 March 2027 are two falls in twelve months; one on 14 March 2025
  is not.
- No reverse staging of a pressure ulcer — NPUAP/EPUAP 2009, reprised 2014/2019: « le stade de
  la plaie ne régresse pas lorsqu'elle cicatrise : une plaie de stade/catégorie 4 doit toujours
  être documentée en tant que telle » (research notes §4.1). Only the numbered categories 1–4
  are ordered; « inclassable » and « lésion des tissus profonds suspectée » become a numbered
  category once the bed is seen, so they never block one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

REPEATED_FALLS_COUNT = 2  # « au moins deux chutes »
REPEATED_FALLS_MONTHS = 12  # « sur douze mois »
NUMBERED_STAGES = ("1", "2", "3", "4")


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it has fewer)."""
    index = day.month - 1 - months
    year, month = day.year + index // 12, index % 12 + 1
    last = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def falls_in_window(fall_day: date, other_days: Iterable[date]) -> list[date]:
    """The other falls that make `fall_day` a repeated fall: those from twelve calendar
    months before it (that day included) onwards."""
    since = months_before(fall_day, REPEATED_FALLS_MONTHS)
    return sorted(day for day in other_days if day >= since)


def is_repeated_fall(fall_day: date, other_days: Iterable[date]) -> bool:
    """HAS/SFGG 2009: at least two falls over twelve months, this one included."""
    return 1 + len(falls_in_window(fall_day, other_days)) >= REPEATED_FALLS_COUNT


def stage_regresses(new_stage: str, former_stages: Iterable[str]) -> str | None:
    """The highest numbered category already recorded when `new_stage` is a lower numbered
    one (NPUAP/EPUAP: the category does not go backwards as the ulcer heals), else None."""
    if new_stage not in NUMBERED_STAGES:
        return None
    recorded = [s for s in former_stages if s in NUMBERED_STAGES]
    if not recorded:
        return None
    highest = max(recorded)
    return highest if new_stage < highest else None
