"""What a page is made of: sections of figures, each with its legend, reading line and data table.

The indicator modules build these from the marts; `page` renders them. Nothing here knows a
mart or draws a chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from sotevault.report.labels import Label
from sotevault.report.svg import Series, legend_swatch

Cell = str | Label


@dataclass(frozen=True)
class Table:
    """A small table of formatted text; columns from `numeric_from` on are right-aligned."""

    caption: str
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric_from: int = 1


@dataclass(frozen=True)
class LegendItem:
    label: Label
    swatch: str


@dataclass(frozen=True)
class Panel:
    """One chart of a figure; a figure of several panels is a set of small multiples."""

    heading: str
    svg: str
    note: str = ""


@dataclass(frozen=True)
class Figure:
    figure_id: str
    title: Label
    how_to_read: Label
    panels: tuple[Panel, ...]
    legend: tuple[LegendItem, ...] = ()
    table: Table | None = None
    columns: int = 3


@dataclass(frozen=True)
class Section:
    section_id: str
    title: Label
    lead: Label
    figures: tuple[Figure, ...]
    listing: Table | None = None
    listing_title: Label | None = None


@dataclass(frozen=True)
class Headline:
    """A key figure at the top of the page."""

    label: Label
    value: str
    note: str


def series_legend(series: Sequence[Series], labels: Sequence[Label]) -> tuple[LegendItem, ...]:
    """Legend entries for series drawn in a figure, in the same order."""
    return tuple(
        LegendItem(label, legend_swatch(one.color, one.dash, one.width))
        for one, label in zip(series, labels, strict=True)
    )


def month_values(frame: pl.DataFrame, months: Sequence[date], column: str) -> tuple[float | None, ...]:
    """One value per month of `months` out of a frame keyed by `month` (None where absent)."""
    by_month = dict(zip(frame["month"].to_list(), frame[column].to_list(), strict=True))
    return tuple(by_month.get(month) for month in months)


def months_of(frame: pl.DataFrame) -> list[date]:
    """The distinct months of a frame, in order."""
    months: list[date] = frame["month"].unique().sort().to_list()
    return months


def slug(*parts: str) -> str:
    """An id for an element: lower-case letters, digits and hyphens."""
    text = "-".join(parts).lower()
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in text)
