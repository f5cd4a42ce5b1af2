"""Sähköinen asiointi: the share of electronic contacts, health vs social vs all, against 35 %."""

from __future__ import annotations

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
from sotevault.report.labels import ALL, REGION_CODE, Label, municipality_names, service_area
from sotevault.report.svg import (
    BLUE,
    GREEN,
    ORANGE,
    REFERENCE,
    Axis,
    Box,
    Reference,
    Series,
    legend_swatch,
    line_chart,
    share_axis,
)

# The national aim: 35 % of contacts electronic by the end of 2025 (indicators.md).
NATIONAL_AIM = 0.35
# The axis always reaches half of all contacts, so the aim sits at the same height everywhere.
LOWEST_AXIS_END = 0.5

AREAS = (("health", GREEN, "5 3", 2.0), ("social", ORANGE, "2 3", 2.0), (ALL, BLUE, None, 2.8))
SHORT_NAMES = {"health": "terveys", "social": "sosiaali", ALL: "kaikki"}
REGION_BOX = Box(width=900, height=300, right=60)
PANEL = Box(width=300, height=180, left=42, right=50, top=12, bottom=34)


def area_series(rows: pl.DataFrame, months: list[date]) -> list[Series]:
    """Health, social and all contacts of one municipality, one line each."""
    return [
        Series(
            service_area(area).fi,
            month_values(rows.filter(pl.col("service_area") == area), months, "e_contact_share"),
            color,
            dash,
            width,
        )
        for area, color, dash, width in AREAS
    ]


def axis_for(frame: pl.DataFrame) -> Axis:
    values = [v for v in frame["e_contact_share"].to_list() if v is not None]
    return share_axis(0.0, max([LOWEST_AXIS_END, NATIONAL_AIM, *values]))


def chart(frame: pl.DataFrame, code: str, name: str, axis: Axis, box: Box) -> str:
    months = months_of(frame)
    rows = frame.filter(pl.col("municipality_code") == code)
    return line_chart(
        slug("e-contacts", code),
        f"Sähköisen asioinnin osuus, {name}: terveys-, sosiaali- ja kaikki palvelut kuukausittain",
        f"{name}: share of electronic contacts (remote real-time and electronic) in health care, "
        f"social care and all services by month, against the national aim of {percent(NATIONAL_AIM, 0)}.",
        months,
        area_series(rows, months),
        axis,
        [Reference(NATIONAL_AIM, "tavoite")],
        box,
    )


def latest_note(frame: pl.DataFrame, code: str) -> str:
    """The latest month's shares of one municipality, written out under its heading."""
    rows = frame.filter(pl.col("municipality_code") == code)
    last = rows["month"].max()
    if not isinstance(last, date):
        return ""
    shares = {
        r["service_area"]: r["e_contact_share"]
        for r in rows.filter(pl.col("month") == last).iter_rows(named=True)
    }
    return " · ".join(
        [month_short(last)] + [f"{SHORT_NAMES[area]} {percent(shares.get(area))}" for area, *_ in AREAS]
    )


def legend() -> tuple[LegendItem, ...]:
    series = [Series("", (), color, dash, width) for _, color, dash, width in AREAS]
    return (
        *series_legend(series, [service_area(area) for area, *_ in AREAS]),
        LegendItem(
            Label(f"Kansallinen tavoite {percent(NATIONAL_AIM, 0)}", "national aim by the end of 2025"),
            legend_swatch(REFERENCE, "6 3", 1.5),
        ),
    )


def data_table(frame: pl.DataFrame, codes: list[str], caption: str) -> Table:
    """Per municipality and month: the three shares and the number of contacts behind them."""
    names = municipality_names()
    wide = frame.pivot(
        on="service_area",
        index=["municipality_code", "month"],
        values=["e_contact_share", "contacts"],
    )
    rows = []
    for code in codes:
        for row in wide.filter(pl.col("municipality_code") == code).sort("month").iter_rows(named=True):
            rows.append(
                (
                    names.get(code, code),
                    month_short(row["month"]),
                    percent(row.get("e_contact_share_health")),
                    percent(row.get("e_contact_share_social")),
                    percent(row.get(f"e_contact_share_{ALL}")),
                    integer(row.get(f"contacts_{ALL}")),
                )
            )
    return Table(
        caption,
        (
            Label("Kunta", "municipality"),
            Label("Kuukausi", "month"),
            Label("Terveys", "health"),
            Label("Sosiaali", "social"),
            Label("Kaikki", "all"),
            Label("Yhteydenottoja", "contacts"),
        ),
        tuple(rows),
        numeric_from=2,
    )


def e_contact_section(frame: pl.DataFrame) -> Section:
    """The region's chart, then one small chart per municipality on the same scale."""
    axis = axis_for(frame)
    names = municipality_names()
    municipalities = [c for c in names if c != REGION_CODE and c in set(frame["municipality_code"])]
    how_to_read = Label(
        "Paksu sininen viiva on kaikki yhteydenotot; sen pitäisi nousta punaisen "
        f"{percent(NATIONAL_AIM, 0)}:n katkoviivan yläpuolelle.",
        "The thick blue line is all contacts; the aim is for it to rise above the red dashed line "
        f"at {percent(NATIONAL_AIM, 0)}.",
    )
    region = Figure(
        "e-contacts-region",
        Label("Sähköinen asiointi, koko alue", "Electronic contacts, whole region"),
        how_to_read,
        (
            Panel(
                "",
                chart(frame, REGION_CODE, names[REGION_CODE], axis, REGION_BOX),
                latest_note(frame, REGION_CODE),
            ),
        )
        if REGION_CODE in set(frame["municipality_code"])
        else (),
        legend(),
        data_table(frame, [REGION_CODE], "Sähköisen asioinnin osuus, koko alue / whole region"),
    )
    by_municipality = Figure(
        "e-contacts-municipalities",
        Label("Sähköinen asiointi kunnittain", "Electronic contacts by municipality"),
        Label(
            "Sama kuva kunnittain, samalla asteikolla: vertaa viivojen korkeutta kuntien välillä.",
            "The same picture per municipality on one scale: compare the heights across municipalities.",
        ),
        tuple(
            Panel(names[c], chart(frame, c, names[c], axis, PANEL), latest_note(frame, c))
            for c in municipalities
        ),
        legend(),
        data_table(frame, municipalities, "Sähköisen asioinnin osuus kunnittain / by municipality"),
    )
    return Section(
        "sahkoinen-asiointi",
        Label("Sähköinen asiointi", "Electronic contacts"),
        Label(
            "Etäyhteydet ja sähköiset asioinnit (myös Omaolo) osuutena kaikista asiakaskontakteista. "
            "Kansallinen tavoite oli 35 % vuoden 2025 loppuun mennessä.",
            "Remote real-time and electronic contacts (Omaolo included) as a share of all client "
            "contacts. The national aim was 35 % by the end of 2025.",
        ),
        (region, by_municipality),
    )


def e_contact_headline(frame: pl.DataFrame) -> Headline | None:
    """The whole region's share of electronic contacts, all services, in the latest month."""
    rows = frame.filter((pl.col("municipality_code") == REGION_CODE) & (pl.col("service_area") == ALL))
    if rows.is_empty():
        return None
    latest = rows.row(rows.height - 1, named=True)
    return Headline(
        Label("Sähköinen asiointi", "electronic contacts"),
        percent(latest["e_contact_share"]),
        f"koko alue, {month_long_fi(latest['month'])}; tavoite {percent(NATIONAL_AIM, 0)}",
    )
