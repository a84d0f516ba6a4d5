"""Server-rendered SVG line charts of scores over time: no JavaScript, no library.

Read in two seconds: whatever the instrument, **up is better, down is worse**. For a scale where
a higher score means more risk or pain (`higher_is_worse`), the vertical axis is reversed (the
maximum at the bottom); for AGGIR, the score is the GIR and GIR 1 (the most dependent) is at the
bottom, GIR 6 (autonomous) at the top: a falling line is a loss of autonomy. Each point is
coloured by the level the instrument gave the result (ok / warn / danger), so a nurse sees at
once both the trend and which results were alarming, without knowing the instrument's
thresholds. An instrument may also name shaded bands (`risk_bands`: (low, high, level) in score
units).

Accessible: `role="img"` with a <title> and a <desc> that says the number of points, the period
and the last result; every point has its own <title> (date and result). The page shows the same
data as a table too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 260
# Room for the vertical axis labels (left), the "mieux" hint (top) and the dates (bottom).
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 28, 40
# Points stay this far inside the plot area, so that their circles are never cut.
PAD = 12

LEVEL_COLOURS = {
    "ok": "#1e6b3a",
    "warn": "#b36200",
    "danger": "#9b1c1c",
    "neutral": "#5a6475",
}
BAND_FILLS = {"ok": "#e5f3ea", "warn": "#fff1d6", "danger": "#fde8e8", "neutral": "#eef0f3"}
LINE_COLOUR = "#1f5f8b"
GRID_COLOUR = "#d5dae1"
TEXT_COLOUR = "#5a6475"


@dataclass(frozen=True)
class Point:
    on: date
    value: Decimal | float | int
    label: str = ""  # the result as shown elsewhere ("GIR 3", "24 / 30")
    level: str = "neutral"


@dataclass(frozen=True)
class PlacedPoint:
    point: Point
    x: float
    y: float


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    points: list[PlacedPoint] = field(default_factory=list)
    y_min: float = 0.0
    y_max: float = 1.0

    @property
    def is_empty(self) -> bool:
        return not self.points


def number(value) -> str:
    """French display of a score: decimal comma, no useless zeros (12.50 → "12,5")."""
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f").replace(".", ",")


def _x_scale(first: date, last: date, width: int) -> Callable[[date], float]:
    left, right = LEFT + PAD, width - RIGHT - PAD
    span = (last - first).days
    if span == 0:
        middle = (left + right) / 2
        return lambda day: middle
    return lambda day: left + (day - first).days / span * (right - left)


def _y_scale(
    y_min: float, y_max: float, height: int, higher_is_worse: bool
) -> Callable[[float], float]:
    top, bottom = TOP + PAD, height - BOTTOM - PAD

    def y(value: float) -> float:
        t = (float(value) - y_min) / (y_max - y_min)
        t = min(1.0, max(0.0, t))
        # Better is up: a higher score goes up unless a higher score is worse.
        return top + t * (bottom - top) if higher_is_worse else bottom - t * (bottom - top)

    return y


def _nice_ticks(y_min: float, y_max: float) -> list[float]:
    span = y_max - y_min
    if float(y_min).is_integer() and float(y_max).is_integer() and span <= 20:
        # Small integer scales (GIR, Algoplus, MNA-SF, Braden): every value, or every other.
        step = 1 if span <= 10 else 2
        return [float(v) for v in range(int(y_min), int(y_max) + 1, step)]
    raw = span / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.ceil(y_min / step) * step
    ticks, value = [], start
    while value <= y_max + 1e-9:
        ticks.append(round(value, 6))
        value += step
    return ticks


def _date_ticks(first: date, last: date, max_ticks: int = 6) -> list[tuple[date, str]]:
    span = (last - first).days
    if span == 0:
        return [(first, first.strftime("%d/%m/%Y"))]
    if span > 3 * 365:
        years = [date(y, 1, 1) for y in range(first.year + 1, last.year + 1)]
        step = max(1, math.ceil(len(years) / max_ticks))
        return [(d, str(d.year)) for d in years[::step]]
    if span > 120:
        months = []
        y, m = first.year, first.month
        while True:
            m += 1
            if m == 13:
                y, m = y + 1, 1
            day = date(y, m, 1)
            if day > last:
                break
            months.append(day)
        step = max(1, math.ceil(len(months) / max_ticks))
        return [(d, d.strftime("%m/%Y")) for d in months[::step]]
    return [(first, first.strftime("%d/%m/%Y")), (last, last.strftime("%d/%m/%Y"))]


def score_chart(
    points: Sequence[Point],
    *,
    title: str,
    y_min=None,
    y_max=None,
    higher_is_worse: bool = False,
    y_ticks: Sequence[float] | None = None,
    y_tick_label: Callable[[float], str] = number,
    bands: Sequence[tuple] = (),
    chart_id: str = "score-chart",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """An inline SVG line chart of `points` (any order; drawn by date)."""
    ordered = sorted(points, key=lambda p: p.on)
    values = [float(p.value) for p in ordered]
    low = float(y_min) if y_min is not None else (min(values) if values else 0.0)
    high = float(y_max) if y_max is not None else (max(values) if values else 1.0)
    if high <= low:
        low, high = low - 1, high + 1
    y = _y_scale(low, high, height, higher_is_worse)
    ids = {"title": f"{chart_id}-title", "desc": f"{chart_id}-desc"}
    if ordered:
        x = _x_scale(ordered[0].on, ordered[-1].on, width)
        placed = [PlacedPoint(p, round(x(p.on), 2), round(y(p.value), 2)) for p in ordered]
    else:
        placed = []
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="score-chart" viewBox="0 0 {width} '
        f'{height}" width="100%" role="img" aria-labelledby="{ids["title"]} {ids["desc"]}" '
        f'font-family="inherit" font-size="12">',
        f'<title id="{ids["title"]}">{escape(title)}</title>',
        f'<desc id="{ids["desc"]}">{escape(_description(ordered, higher_is_worse))}</desc>',
    ]
    plot_top, plot_bottom = TOP, height - BOTTOM
    plot_left, plot_right = LEFT, width - RIGHT
    for band in bands:
        band_low, band_high, level = band
        y1, y2 = sorted((y(band_low), y(band_high)))
        parts.append(
            f'<rect x="{plot_left}" y="{y1:.2f}" width="{plot_right - plot_left}" '
            f'height="{y2 - y1:.2f}" fill="{BAND_FILLS.get(level, BAND_FILLS["neutral"])}"/>'
        )
    for tick in y_ticks if y_ticks is not None else _nice_ticks(low, high):
        ty = y(tick)
        parts.append(
            f'<line x1="{plot_left}" x2="{plot_right}" y1="{ty:.2f}" y2="{ty:.2f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{plot_left - 8}" y="{ty + 4:.2f}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{escape(y_tick_label(tick))}</text>'
        )
    parts.append(
        f'<line x1="{plot_left}" x2="{plot_right}" y1="{plot_bottom}" y2="{plot_bottom}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1"/>'
        f'<text x="{plot_left}" y="{plot_top - 12}" fill="{TEXT_COLOUR}">'
        f"↑ mieux · ↓ moins bien</text>"
    )
    if not placed:
        parts.append(
            f'<text x="{(plot_left + plot_right) / 2}" y="{(plot_top + plot_bottom) / 2}" '
            f'text-anchor="middle" fill="{TEXT_COLOUR}" font-size="14">'
            f"Aucune évaluation validée</text></svg>"
        )
        return Chart(_markup(parts), [], low, high)
    x = _x_scale(ordered[0].on, ordered[-1].on, width)
    for day, label in _date_ticks(ordered[0].on, ordered[-1].on):
        tx = x(day)
        # A long label at either end stays inside the picture.
        anchor = "middle"
        if len(label) > 4 and tx > plot_right - 40:
            anchor = "end"
        elif len(label) > 4 and tx < plot_left + 40:
            anchor = "start"
        parts.append(
            f'<line x1="{tx:.2f}" x2="{tx:.2f}" y1="{plot_bottom}" y2="{plot_bottom + 5}" '
            f'stroke="{TEXT_COLOUR}"/>'
            f'<text x="{tx:.2f}" y="{plot_bottom + 20}" text-anchor="{anchor}" '
            f'fill="{TEXT_COLOUR}">{escape(label)}</text>'
        )
    if len(placed) > 1:
        path = " ".join(f"{p.x:.2f},{p.y:.2f}" for p in placed)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2.5" '
            f'stroke-linejoin="round"/>'
        )
    for p in placed:
        colour = LEVEL_COLOURS.get(p.point.level, LEVEL_COLOURS["neutral"])
        shown = p.point.label or number(p.point.value)
        parts.append(
            f'<circle cx="{p.x:.2f}" cy="{p.y:.2f}" r="6" fill="{colour}" stroke="#fff" '
            f'stroke-width="2"><title>{escape(p.point.on.strftime("%d/%m/%Y"))} : '
            f"{escape(shown)}</title></circle>"
        )
    last = placed[-1]
    anchor = "end" if last.x > (plot_left + plot_right) / 2 else "start"
    offset = -10 if anchor == "end" else 10
    parts.append(
        f'<text x="{last.x + offset:.2f}" y="{last.y - 10:.2f}" text-anchor="{anchor}" '
        f'font-weight="700" fill="{LEVEL_COLOURS.get(last.point.level, TEXT_COLOUR)}">'
        f"{escape(last.point.label or number(last.point.value))}</text>"
    )
    parts.append("</svg>")
    return Chart(_markup(parts), placed, low, high)


def _markup(parts: list[str]) -> SafeString:
    # Every text in `parts` went through escape(); the rest is numbers and fixed markup.
    return mark_safe("".join(parts))  # noqa: S308


def _description(ordered: Sequence[Point], higher_is_worse: bool) -> str:
    if not ordered:
        return "Aucune évaluation validée : pas de courbe."
    first, last = ordered[0], ordered[-1]
    shown = last.label or number(last.value)
    if len(ordered) == 1:
        return f"Une évaluation validée, le {first.on:%d/%m/%Y} : {shown}."
    trend = _trend(float(first.value), float(last.value), higher_is_worse)
    return (
        f"{len(ordered)} évaluations validées du {first.on:%d/%m/%Y} au {last.on:%d/%m/%Y}. "
        f"Première : {first.label or number(first.value)} ; dernière : {shown} ({trend})."
    )


def _trend(first: float, last: float, higher_is_worse: bool) -> str:
    if first == last:
        return "stable"
    better = (last < first) if higher_is_worse else (last > first)
    return "amélioration" if better else "dégradation"
