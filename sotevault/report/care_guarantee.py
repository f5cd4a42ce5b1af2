"""Hoitotakuu: the share of non-urgent primary-care visits within 7 and 14 days, by municipality."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from sotevault.report.figures import (
    Figure,
    Headline,
    LegendItem,
    Panel,
    Section,
    Table,
    month_values,
    months_of,
    series_legend,
    slug,
)
from sotevault.report.formatting import integer, month_long_fi, month_short, percent
from sotevault.report.labels import ALL, REGION_CODE, Label, municipality_names
from sotevault.report.svg import (
    BLUE,
    GREY,
    REFERENCE,
    SKY,
    Box,
    Reference,
    Series,
    legend_swatch,
    line_chart,
    share_axis,
)

# The law asks every non-urgent visit to happen within the limit: the line to reach is 100 %.
LEGAL_SHARE = 1.0
# Small multiples keep at least the upper half of the scale in view, so panels compare.
LOWEST_AXIS_START = 0.5


@dataclass(frozen=True)
class Line:
    """A mart column drawn as a line, and how."""

    column: str
    label: Label
    color: str
    dash: str | None
    width: float

    def series(self, values: tuple[float | None, ...]) -> Series:
        return Series(self.label.fi, values, self.color, self.dash, self.width)


LINES = (
    Line("share_within_7d", Label("7 vrk:n sisällä", "within 7 days"), BLUE, None, 2.6),
    Line("share_within_14d", Label("14 vrk:n sisällä", "within 14 days"), SKY, "5 3", 2.0),
    Line("share_with_assessment", Label("Arvio kirjattu", "assessment recorded"), GREY, "2 3", 1.6),
)
PANEL = Box(width=300, height=180, left=42, right=34, top=12, bottom=34)


def all_professions(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("professional_group") == ALL)


def municipality_series(rows: pl.DataFrame, months: list[date]) -> list[Series]:
    """The three lines of one municipality's panel."""
    return [line.series(month_values(rows, months, line.column)) for line in LINES]


def share_range(frame: pl.DataFrame) -> tuple[float, float]:
    values = [v for line in LINES for v in frame[line.column].to_list() if v is not None]
    return min([LOWEST_AXIS_START, *values]), LEGAL_SHARE


def panels(frame: pl.DataFrame) -> tuple[Panel, ...]:
    """One line chart per municipality, the whole region first, all on the same scale."""
    months = months_of(frame)
    axis = share_axis(*share_range(frame))
    reference = Reference(LEGAL_SHARE, "laki")
    result = []
    for code, name in municipality_names().items():
        rows = frame.filter(pl.col("municipality_code") == code)
        if rows.is_empty():
            continue
        svg = line_chart(
            slug("care-guarantee", code),
            f"Hoitotakuu, {name}: käyntien osuus 7 ja 14 vrk:n sisällä kuukausittain",
            f"{name}: share of non-urgent primary-care visits within 7 and 14 days of the "
            "care-need assessment, and the share with a recorded assessment, by month.",
            months,
            municipality_series(rows, months),
            axis,
            [reference],
            PANEL,
        )
        result.append(Panel(name, svg, latest_note(rows)))
    return tuple(result)


def latest_note(rows: pl.DataFrame) -> str:
    """The latest month's three shares, written out under the panel's heading."""
    latest = rows.row(rows.height - 1, named=True)
    return (
        f"{month_short(latest['month'])}: 7 vrk {percent(latest['share_within_7d'])} · "
        f"14 vrk {percent(latest['share_within_14d'])} · arvio {percent(latest['share_with_assessment'])}"
    )


def data_table(frame: pl.DataFrame) -> Table:
    """A row per municipality (the whole region first) and month."""
    names = municipality_names()
    order = {code: i for i, code in enumerate(names)}
    ordered = sorted(
        frame.iter_rows(named=True), key=lambda r: (order.get(r["municipality_code"], len(order)), r["month"])
    )
    rows = tuple(
        (
            names.get(row["municipality_code"], row["municipality_code"]),
            month_short(row["month"]),
            integer(row["visits"]),
            percent(row["share_within_7d"]),
            percent(row["share_within_14d"]),
            percent(row["share_with_assessment"]),
            integer(row["median_wait_days"]),
        )
        for row in ordered
    )
    return Table(
        "Hoitotakuu kunnittain ja kuukausittain / care guarantee by municipality and month",
        (
            Label("Kunta", "municipality"),
            Label("Kuukausi", "month"),
            Label("Käyntejä", "visits"),
            Label("7 vrk", "7 days"),
            Label("14 vrk", "14 days"),
            Label("Arvio kirjattu", "assessment"),
            Label("Mediaani, vrk", "median, days"),
        ),
        rows,
        numeric_from=2,
    )


def care_guarantee_section(frame: pl.DataFrame) -> Section:
    """Small multiples of the 7-day, 14-day and assessment shares, with the legal line at 100 %."""
    rows = all_professions(frame)
    legend = (
        *series_legend([line.series(()) for line in LINES], [line.label for line in LINES]),
        LegendItem(
            Label("Lain vaatimus: kaikki käynnit rajan sisällä", "legal requirement: every visit in time"),
            legend_swatch(REFERENCE, "6 3", 1.5),
        ),
    )
    figure = Figure(
        "care-guarantee",
        Label("Hoitotakuu: käynnit 7 vrk:n sisällä", "Care guarantee within 7 days"),
        Label(
            "Mitä lähempänä ylintä katkoviivaa (100 %) viivat ovat, sitä useampi kiireetön "
            "avosairaanhoidon käynti toteutui ajallaan; viivan ja 100 %:n väli on myöhästyneet käynnit.",
            "The closer the lines are to the dashed line at 100 %, the more non-urgent primary-care "
            "visits happened in time; the gap is the share of visits that waited longer.",
        ),
        panels(rows),
        legend,
        data_table(rows),
    )
    return Section(
        "hoitotakuu",
        Label("Hoitotakuu", "Care guarantee"),
        Label(
            "Kiireettömät perusterveydenhuollon käynnit (T11), odotus hoidon tarpeen arviosta "
            "käyntiin. Alue ohjaa 7 vuorokauden rajalla; lakisääteinen raja on vaihdellut 7 ja 14 "
            "vuorokauden välillä, joten molemmat näytetään.",
            "Non-urgent primary-care visits (T11), wait from the care-need assessment to the visit. "
            "The region steers by 7 days; the legal limit has moved between 7 and 14 days, so both "
            "are shown.",
        ),
        (figure,),
    )


def care_guarantee_headline(frame: pl.DataFrame) -> Headline | None:
    """The whole region's 7-day share in the latest month."""
    rows = all_professions(frame).filter(pl.col("municipality_code") == REGION_CODE)
    if rows.is_empty():
        return None
    latest = rows.row(rows.height - 1, named=True)
    return Headline(
        Label("Hoitotakuu 7 vrk", "care guarantee, 7 days"),
        percent(latest["share_within_7d"]),
        f"koko alue, {month_long_fi(latest['month'])}",
    )
