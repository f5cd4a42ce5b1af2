"""Inline SVG charts: monthly line charts, horizontal bars and dot rows, nothing else.

Each chart is a function from plain values to SVG markup. Coordinates are written with one
decimal, so a test can find the 35 % reference line at the y it works out by hand: the value
scale maps `axis.low` to the bottom of the plot area and `axis.high` to its top.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from sotevault.report.formatting import month_short, percent

# Okabe–Ito: told apart by colour-blind readers and in greyscale print.
BLUE = "#0072B2"
SKY = "#56B4E9"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
YELLOW = "#B8A000"
GREY = "#6b6b6b"
BLACK = "#222222"
REFERENCE = "#b2182b"
GRID = "#e3e3e3"
BAR = "#8fb8d8"

SHARE_STEPS = tuple(
    Decimal(s) for s in ("0.0001", "0.0002", "0.0005", "0.001", "0.002", "0.005", "0.01", "0.02", "0.05")
) + tuple(Decimal(s) for s in ("0.1", "0.2", "0.25", "0.5", "1"))


def num(value: float) -> str:
    """A coordinate: one decimal, no `-0.0`."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


@dataclass(frozen=True)
class Axis:
    """A value axis: the interval it shows and the values that get a gridline and a label."""

    low: float
    high: float
    ticks: tuple[float, ...]
    decimals: int = 0

    def label(self, value: float) -> str:
        return percent(value, self.decimals)


def share_axis(need_low: float, need_high: float, max_steps: int = 5) -> Axis:
    """The tightest axis of round steps that covers [need_low, need_high] in at most `max_steps`.

    Works in decimals so that 0.3 / 0.1 is 3, not 2.999…; tick labels get as many decimals of a
    percentage as the step needs (0.002 → one decimal: 99,2 %).
    """
    low, high = Decimal(str(need_low)), Decimal(str(need_high))
    if high <= low:
        high = low + SHARE_STEPS[0]
    for step in SHARE_STEPS:
        first = (low / step).to_integral_value(rounding="ROUND_FLOOR")
        last = (high / step).to_integral_value(rounding="ROUND_CEILING")
        if last - first <= max_steps:
            break
    ticks = tuple(float(step * n) for n in range(int(first), int(last) + 1))
    decimals = max(0, -math.floor(math.log10(step * 100)))
    return Axis(float(step * first), float(step * last), ticks, decimals)


@dataclass(frozen=True)
class Box:
    """The drawing's size and the margins around its plot area."""

    width: float
    height: float
    left: float = 44.0
    right: float = 16.0
    top: float = 14.0
    bottom: float = 34.0

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom

    @property
    def plot_bottom(self) -> float:
        return self.top + self.plot_height


def value_y(box: Box, axis: Axis, value: float) -> float:
    """The y of a value: `axis.low` on the plot's bottom edge, `axis.high` on its top edge."""
    return box.plot_bottom - (value - axis.low) / (axis.high - axis.low) * box.plot_height


def axis_x(box: Box, axis: Axis, value: float) -> float:
    """The x of a value on a horizontal axis: `axis.low` on the plot's left edge."""
    return box.left + (value - axis.low) / (axis.high - axis.low) * box.plot_width


def month_x(box: Box, index: int, count: int) -> float:
    """The x of the index-th of `count` months, the first and last on the plot's edges."""
    if count <= 1:
        return box.left + box.plot_width / 2
    return box.left + index * box.plot_width / (count - 1)


@dataclass(frozen=True)
class Series:
    """One line: a value (or a gap) per month, and how it is drawn."""

    label: str
    values: tuple[float | None, ...]
    color: str
    dash: str | None = None
    width: float = 2.0


@dataclass(frozen=True)
class Reference:
    """A horizontal reference line: a target or a legal requirement."""

    value: float
    label: str


def svg_open(chart_id: str, box: Box, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {num(box.width)} {num(box.height)}" width="{num(box.width)}" '
        f'height="{num(box.height)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
    )


def text(x: float, y: float, content: str, css: str = "", anchor: str = "start") -> str:
    cls = f' class="{css}"' if css else ""
    return f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}"{cls}>{escape(content)}</text>'


def y_grid(box: Box, axis: Axis) -> list[str]:
    parts = []
    for tick in axis.ticks:
        y = value_y(box, axis, tick)
        parts.append(
            f'<line class="grid" x1="{num(box.left)}" x2="{num(box.width - box.right)}" '
            f'y1="{num(y)}" y2="{num(y)}" stroke="{GRID}"/>'
        )
        parts.append(text(box.left - 5, y + 4, axis.label(tick), "tick", "end"))
    return parts


def month_ticks(box: Box, months: Sequence[date]) -> list[str]:
    """Month numbers under the plot; the year under the first month and under each January."""
    parts = []
    step = 1 if len(months) <= 14 else 3
    for i, month in enumerate(months):
        x = month_x(box, i, len(months))
        if i % step == 0:
            parts.append(text(x, box.plot_bottom + 14, str(month.month), "tick", "middle"))
        if i == 0 or month.month == 1:
            parts.append(text(x, box.plot_bottom + 27, str(month.year), "tick year", "middle"))
    return parts


def reference_line(box: Box, axis: Axis, reference: Reference) -> list[str]:
    """A dashed line across the plot, its short label in the right margin where no line runs."""
    y = value_y(box, axis, reference.value)
    return [
        f'<line class="reference" x1="{num(box.left)}" x2="{num(box.width - box.right)}" '
        f'y1="{num(y)}" y2="{num(y)}" stroke="{REFERENCE}" stroke-width="1.5" '
        f'stroke-dasharray="6 3"><title>{escape(reference.label)}</title></line>',
        text(box.width - box.right + 5, y + 4, reference.label, "reference-label"),
    ]


def runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The unbroken stretches of a series: a missing month breaks the line."""
    stretches: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for i, value in enumerate(values):
        if value is None or math.isnan(value):
            if current:
                stretches.append(current)
            current = []
        else:
            current.append((i, value))
    if current:
        stretches.append(current)
    return stretches


def series_marks(box: Box, axis: Axis, months: Sequence[date], series: Series) -> list[str]:
    """The series' line (a polyline per unbroken stretch) and a dot per month with its value."""
    dash = f' stroke-dasharray="{series.dash}"' if series.dash else ""
    parts = [f'<g class="series" data-series="{escape(series.label)}">']
    for stretch in runs(series.values):
        points = " ".join(
            f"{num(month_x(box, i, len(months)))},{num(value_y(box, axis, v))}" for i, v in stretch
        )
        parts.append(
            f'<polyline fill="none" stroke="{series.color}" stroke-width="{series.width}"{dash} '
            f'stroke-linejoin="round" points="{points}"/>'
        )
        for i, v in stretch:
            tip = f"{series.label}, {month_short(months[i])}: {percent(v, axis.decimals + 1)}"
            parts.append(
                f'<circle cx="{num(month_x(box, i, len(months)))}" cy="{num(value_y(box, axis, v))}" '
                f'r="2.6" fill="{series.color}"><title>{escape(tip)}</title></circle>'
            )
    parts.append("</g>")
    return parts


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    months: Sequence[date],
    series: Sequence[Series],
    axis: Axis,
    references: Sequence[Reference] = (),
    box: Box | None = None,
) -> str:
    """Shares by month: gridlines, reference lines under the series, one dot per month."""
    box = box or Box(width=560, height=260)
    parts = [svg_open(chart_id, box, title, description), *y_grid(box, axis), *month_ticks(box, months)]
    for reference in references:
        parts.extend(reference_line(box, axis, reference))
    for one in series:
        parts.extend(series_marks(box, axis, months, one))
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None: not defined, no bar) and the text written beside it."""

    label: str
    value: float | None
    text: str
    highlight: bool = False


BAR_ROW = 20.0


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    width: float = 300,
    label_width: float = 92,
    value_width: float = 62,
) -> str:
    """Horizontal bars from a zero baseline, each labelled with its value; highlighted bars dark."""
    box = Box(width=width, height=8 + BAR_ROW * len(bars) + 6, left=label_width, right=value_width, top=8)
    largest = max((b.value for b in bars if b.value is not None), default=0.0)
    scale = box.plot_width / largest if largest > 0 else 0.0
    parts = [svg_open(chart_id, box, title, description)]
    for i, bar in enumerate(bars):
        y = box.top + i * BAR_ROW
        css = "bar-label strong" if bar.highlight else "bar-label"
        parts.append(text(box.left - 6, y + 13, bar.label, css, "end"))
        length = max(0.0, bar.value or 0.0) * scale
        if bar.value is not None:
            fill = BLUE if bar.highlight else BAR
            parts.append(
                f'<rect x="{num(box.left)}" y="{num(y + 3)}" width="{num(length)}" '
                f'height="{num(BAR_ROW - 6)}" fill="{fill}"><title>{escape(bar.label)}: '
                f"{escape(bar.text)}</title></rect>"
            )
        parts.append(text(box.left + length + 4, y + 13, bar.text, "bar-value"))
    parts.append(
        f'<line x1="{num(box.left)}" x2="{num(box.left)}" y1="{num(box.top)}" '
        f'y2="{num(box.top + BAR_ROW * len(bars))}" stroke="{GREY}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Dot:
    """One row of a dot chart: a label, a value on the axis (None: nothing to show), its text."""

    label: str
    value: float | None
    text: str
    color: str = BLUE


def dot_chart(
    chart_id: str,
    title: str,
    description: str,
    dots: Sequence[Dot],
    axis: Axis,
    width: float = 560,
    label_width: float = 190,
) -> str:
    """Dots on a shared value axis: fit where the axis does not start at zero, unlike bars."""
    rows_height = BAR_ROW * len(dots)
    box = Box(width=width, height=8 + rows_height + 24, left=label_width, right=70, top=8, bottom=24)
    parts = [svg_open(chart_id, box, title, description)]
    for tick in axis.ticks:
        x = axis_x(box, axis, tick)
        parts.append(
            f'<line class="grid" x1="{num(x)}" x2="{num(x)}" y1="{num(box.top)}" '
            f'y2="{num(box.top + rows_height)}" stroke="{GRID}"/>'
        )
        parts.append(text(x, box.top + rows_height + 16, axis.label(tick), "tick", "middle"))
    for i, dot in enumerate(dots):
        y = box.top + i * BAR_ROW + BAR_ROW / 2
        parts.append(text(box.left - 8, y + 4, dot.label, "bar-label", "end"))
        if dot.value is not None:
            x = axis_x(box, axis, dot.value)
            parts.append(
                f'<circle cx="{num(x)}" cy="{num(y)}" r="5" fill="{dot.color}">'
                f"<title>{escape(dot.label)}: {escape(dot.text)}</title></circle>"
            )
        parts.append(text(box.width - box.right + 8, y + 4, dot.text, "bar-value"))
    parts.append("</svg>")
    return "".join(parts)


def legend_swatch(color: str, dash: str | None = None, width: float = 2.0) -> str:
    """A short stretch of a series' line, for the legend beside a figure."""
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="swatch" width="28" height="10" '
        f'viewBox="0 0 28 10" aria-hidden="true"><line x1="1" x2="27" y1="5" y2="5" '
        f'stroke="{color}" stroke-width="{width}"{dash_attr}/></svg>'
    )
