"""Server-rendered SVG charts of measurements (weight, blood pressure, temperature, glucose):
no JavaScript, no library, printable — like `dui.assessments.charts` for scores.

Unlike the score charts, **up is more** (heavier, hotter, higher pressure), since « up is
better » is false for a weight (an obese person) or a temperature: the <desc> says so. Shaded
bands say what to watch:
- weight (research notes §2.2, from HAS 2019 / HAS-FFN 2021): for the person's last height, the
  weights of IMC 22 and 20 (70 and over) or 18,5 and 17 (under 70) — below the first, the low-BMI
  phenotypic criterion (warn); below the second, severe undernutrition (danger); and, from the
  reference weight (the heaviest of the last 6 months), dashed lines at −5 % and −10 %;
- temperature: fever and hypothermia thresholds of the establishment (CareSettings);
- glucose: hypo- and hyperglycaemia thresholds of the establishment;
- blood pressure: NEWS2 systolic ≤ 100 and ≥ 220 (measures table).

Accessible: `role="img"` with <title> and <desc> (number of points, period, last value);
every point has its own <title>. The page shows the same values as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .measures import fr_number

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 24, 40
PAD = 12
BAND_FILLS = {"warn": "#fff1d6", "danger": "#fde8e8", "ok": "#e5f3ea"}
LINE = "#1f5f8b"
LINE2 = "#7a3e9d"
GRID = "#d5dae1"
TEXT = "#5a6475"
POINT = {"neutral": "#1f5f8b", "warn": "#b36200", "danger": "#9b1c1c"}


@dataclass(frozen=True)
class ChartPoint:
    on: date
    value: Decimal
    value2: Decimal | None = None  # diastolic
    level: str = "neutral"
    label: str = ""


@dataclass(frozen=True)
class Band:
    low: Decimal
    high: Decimal
    level: str  # warn / danger / ok
    label: str


@dataclass(frozen=True)
class Guide:
    value: Decimal
    label: str


@dataclass
class MeasureChart:
    svg: SafeString
    points: list = field(default_factory=list)
    bands: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.points


def measure_chart(
    points: Sequence[ChartPoint],
    *,
    title: str,
    unit: str,
    chart_id: str,
    bands: Sequence[Band] = (),
    guides: Sequence[Guide] = (),
    period: tuple[date, date],
    decimals: int = 1,
) -> MeasureChart:
    ordered = sorted(points, key=lambda p: p.on)
    values = [float(p.value) for p in ordered] + [
        float(p.value2) for p in ordered if p.value2 is not None
    ]
    values += [float(g.value) for g in guides]
    marks = values[:] or [0.0, 1.0]
    low, high = min(marks), max(marks)
    span = (high - low) or max(abs(high) * 0.1, 1.0)
    low, high = low - span * 0.15, high + span * 0.15
    first, last = period
    days = max((last - first).days, 1)
    plot_l, plot_r, plot_t, plot_b = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM

    def x(day: date) -> float:
        return plot_l + PAD + (plot_r - plot_l - 2 * PAD) * (day - first).days / days

    def y(value) -> float:
        v = min(max(float(value), low), high)
        return plot_b - PAD - (plot_b - plot_t - 2 * PAD) * (v - low) / (high - low)

    ids = f"{chart_id}-title {chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="measure-chart" viewBox="0 0 {WIDTH} '
        f'{HEIGHT}" width="100%" role="img" aria-labelledby="{ids}" font-family="inherit" '
        f'font-size="12" data-testid="{escape(chart_id)}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_description(ordered, unit, bands, decimals))}</desc>',
    ]
    for band in bands:
        y1, y2 = sorted((y(band.low), y(band.high)))
        if y2 - y1 < 0.5:
            continue
        parts.append(
            f'<rect class="band band-{band.level}" x="{plot_l}" y="{y1:.2f}" '
            f'width="{plot_r - plot_l}" height="{y2 - y1:.2f}" '
            f'fill="{BAND_FILLS.get(band.level, "#eef0f3")}"><title>{escape(band.label)}</title>'
            "</rect>"
        )
    for tick in _ticks(low, high):
        ty = y(tick)
        parts.append(
            f'<line x1="{plot_l}" x2="{plot_r}" y1="{ty:.2f}" y2="{ty:.2f}" stroke="{GRID}"/>'
            f'<text x="{plot_l - 6}" y="{ty + 4:.2f}" text-anchor="end" fill="{TEXT}">'
            f"{escape(fr_number(round(Decimal(str(tick)), 2)))}</text>"
        )
    for guide in guides:
        gy = y(guide.value)
        parts.append(
            f'<line class="guide" x1="{plot_l}" x2="{plot_r}" y1="{gy:.2f}" y2="{gy:.2f}" '
            f'stroke="#b36200" stroke-dasharray="6 4" stroke-width="1.5"/>'
            f'<text x="{plot_r - 4}" y="{gy - 4:.2f}" text-anchor="end" fill="#8a4b00">'
            f"{escape(guide.label)}</text>"
        )
    parts.append(
        f'<line x1="{plot_l}" x2="{plot_r}" y1="{plot_b}" y2="{plot_b}" stroke="{TEXT}"/>'
        f'<text x="{plot_l}" y="{plot_t - 8}" fill="{TEXT}">{escape(unit)} · ↑ plus</text>'
        f'<text x="{plot_l}" y="{plot_b + 20}" fill="{TEXT}">{first:%d/%m/%Y}</text>'
        f'<text x="{plot_r}" y="{plot_b + 20}" text-anchor="end" fill="{TEXT}">'
        f"{last:%d/%m/%Y}</text>"
    )
    if not ordered:
        parts.append(
            f'<text x="{(plot_l + plot_r) / 2}" y="{(plot_t + plot_b) / 2}" '
            f'text-anchor="middle" fill="{TEXT}" font-size="14">Aucune mesure sur la période'
            "</text></svg>"
        )
        return MeasureChart(_markup(parts), [], list(bands))
    for attribute, colour in (("value", LINE), ("value2", LINE2)):
        line = [(x(p.on), y(getattr(p, attribute))) for p in ordered if getattr(p, attribute)]
        if len(line) > 1:
            path = " ".join(f"{px:.2f},{py:.2f}" for px, py in line)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5" '
                f'stroke-linejoin="round"/>'
            )
    for p in ordered:
        shown = p.label or fr_number(p.value, decimals)
        for value in (p.value, p.value2):
            if value is None:
                continue
            parts.append(
                f'<circle cx="{x(p.on):.2f}" cy="{y(value):.2f}" r="5" '
                f'fill="{POINT.get(p.level, LINE)}" stroke="#fff" stroke-width="2">'
                f"<title>{p.on:%d/%m/%Y} : {escape(shown)}</title></circle>"
            )
    last_point = ordered[-1]
    lx = x(last_point.on)
    anchor = "end" if lx > (plot_l + plot_r) / 2 else "start"
    parts.append(
        f'<text x="{lx + (-8 if anchor == "end" else 8):.2f}" y="{y(last_point.value) - 10:.2f}" '
        f'text-anchor="{anchor}" font-weight="700" fill="{POINT.get(last_point.level, LINE)}">'
        f"{escape(last_point.label or fr_number(last_point.value, decimals))}</text></svg>"
    )
    return MeasureChart(_markup(parts), ordered, list(bands))


def _ticks(low: float, high: float) -> list[float]:
    span = high - low
    raw = span / 4
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    for step in (magnitude, magnitude * 2, magnitude * 5, magnitude * 10):
        if span / step <= 6:
            break
    start = int(low / step) * step
    ticks, value = [], start
    while value <= high:
        if value >= low:
            ticks.append(round(value, 2))
        value += step
    return ticks


def _description(ordered, unit: str, bands, decimals: int) -> str:
    bands_text = "; ".join(b.label for b in bands)
    suffix = f" Zones : {bands_text}." if bands_text else ""
    if not ordered:
        return "Aucune mesure sur la période : pas de courbe." + suffix
    last = ordered[-1]
    shown = last.label or f"{fr_number(last.value, decimals)} {unit}"
    return (
        f"{len(ordered)} mesure(s) du {ordered[0].on:%d/%m/%Y} au {last.on:%d/%m/%Y}, vers le "
        f"haut : valeur plus élevée. Dernière : {shown}.{suffix}"
    )


def _markup(parts: list[str]) -> SafeString:
    # Every text in `parts` went through escape(); the rest is numbers and fixed markup.
    return mark_safe("".join(parts))  # noqa: S308
