"""Kustannukset: €/resident by service class and municipality, €/service and €/client, latest year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl

from sotevault.report.figures import Figure, Headline, Panel, Section, Table, slug
from sotevault.report.formatting import euros, integer
from sotevault.report.labels import (
    ALL,
    REGION_CODE,
    Label,
    municipality_names,
    service_class,
    service_classes,
)
from sotevault.report.svg import Bar, bar_chart

MEASURES = {
    "eur_per_service": Label("€ / palvelu", "€ per service"),
    "eur_per_client": Label("€ / asiakas", "€ per client"),
}


def latest_year(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows of the latest year in the mart (none when the mart is empty)."""
    return frame.filter(pl.col("year") == pl.col("year").max())


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def classes_in(frame: pl.DataFrame) -> list[str]:
    """ALL first, then the classes of the seed, then any other the mart has, as they come."""
    present = list(dict.fromkeys(frame["service_class"].to_list()))
    ordered = [ALL, *service_classes()]
    return [c for c in ordered if c in present] + [c for c in present if c not in ordered]


def resident_panel(rows: pl.DataFrame, code_class: str, year: str) -> Panel:
    """One class: a bar per municipality, the whole region first and dark."""
    names = municipality_names()
    by_code = {r["municipality_code"]: r["eur_per_resident"] for r in rows.iter_rows(named=True)}
    bars = [
        Bar(name, as_float(by_code[code]), euros(by_code[code]), highlight=code == REGION_CODE)
        for code, name in names.items()
        if code in by_code
    ]
    label = service_class(code_class)
    svg = bar_chart(
        slug("eur-per-resident", code_class),
        f"{label.fi}: euroa asukasta kohden kunnittain {year}",
        f"{label.en}: cost in euros per resident by municipality, {year}.",
        bars,
    )
    return Panel(label.fi, svg)


def resident_table(frame: pl.DataFrame, classes: list[str]) -> Table:
    """€/resident: a row per class, a column per municipality."""
    names = municipality_names()
    codes = [c for c in names if c in set(frame["municipality_code"])]
    rows = []
    for code_class in classes:
        values = {
            r["municipality_code"]: r["eur_per_resident"]
            for r in frame.filter(pl.col("service_class") == code_class).iter_rows(named=True)
        }
        rows.append((service_class(code_class).fi, *(euros(values.get(code), 2) for code in codes)))
    return Table(
        "Euroa asukasta kohden / euros per resident",
        (Label("Palveluluokka", "service class"), *(names[c] for c in codes)),
        tuple(rows),
    )


def in_class_order(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame in the order of `classes_in`: ALL first, then the seed's order."""
    order = {c: i for i, c in enumerate(classes_in(frame))}
    return sorted(frame.iter_rows(named=True), key=lambda r: order[r["service_class"]])


def measure_panel(region: pl.DataFrame, column: str, year: str) -> Panel:
    """The whole region's €/service or €/client by class, only where the figure is defined."""
    label = MEASURES[column]
    bars = [
        Bar(
            service_class(r["service_class"]).fi,
            as_float(r[column]),
            euros(r[column]),
            highlight=r["service_class"] == ALL,
        )
        for r in in_class_order(region)
        if r[column] is not None
    ]
    svg = bar_chart(
        slug("region", column),
        f"{label.fi} palveluluokittain, koko alue {year}",
        f"{label.en} by service class, whole region, {year}; classes without services left out.",
        bars,
        width=580,
        label_width=220,
        value_width=80,
    )
    return Panel(f"{label.fi} / {label.en}", svg)


def unit_table(frame: pl.DataFrame, classes: list[str]) -> Table:
    names = municipality_names()
    order = {c: i for i, c in enumerate(classes)}
    codes = {c: i for i, c in enumerate(names)}
    sorted_rows = sorted(
        frame.iter_rows(named=True),
        key=lambda r: (codes.get(r["municipality_code"], 99), order.get(r["service_class"], 99)),
    )
    rows = tuple(
        (
            names.get(r["municipality_code"], r["municipality_code"]),
            service_class(r["service_class"]).fi,
            euros(r["cost_eur"]),
            integer(r["services"]),
            integer(r["clients"]),
            euros(r["eur_per_service"], 2),
            euros(r["eur_per_client"], 2),
            euros(r["eur_per_resident"], 2),
        )
        for r in sorted_rows
    )
    return Table(
        "Kustannukset ja yksikkökustannukset / costs and unit costs",
        (
            Label("Kunta", "municipality"),
            Label("Palveluluokka", "service class"),
            Label("Kustannukset", "cost"),
            Label("Palveluja", "services"),
            Label("Asiakkaita", "clients"),
            Label("€ / palvelu", "€ per service"),
            Label("€ / asiakas", "€ per client"),
            Label("€ / asukas", "€ per resident"),
        ),
        rows,
        numeric_from=2,
    )


def unit_cost_section(frame: pl.DataFrame) -> Section:
    """€/resident as small multiples by class; €/service and €/client for the whole region."""
    rows = latest_year(frame)
    year = str(rows["year"][0]) if not rows.is_empty() else "–"
    classes = classes_in(rows)
    per_resident = Figure(
        "eur-per-resident",
        Label(f"Euroa asukasta kohden {year}", f"Euros per resident {year}"),
        Label(
            "Jokainen kuva on yksi palveluluokka; pylväät ovat kunnat ja tumma pylväs koko alue. "
            "Kunkin kuvan asteikko on oma: vertaa kuntia saman kuvan sisällä.",
            "Each chart is one service class; bars are municipalities, the dark bar the whole region. "
            "Each chart has its own scale: compare municipalities within a chart.",
        ),
        tuple(resident_panel(rows.filter(pl.col("service_class") == c), c, year) for c in classes),
        table=resident_table(rows, classes),
    )
    region = rows.filter(pl.col("municipality_code") == REGION_CODE)
    per_unit = Figure(
        "eur-per-unit",
        Label(f"Euroa palvelua ja asiakasta kohden {year}", f"Euros per service and per client {year}"),
        Label(
            "Koko alueen luvut; hallinnolla ei ole palveluja, joten sillä ei ole näitä lukuja. "
            "Kuntien luvut ovat taulukossa.",
            "Whole region; administration has no services and so no such figures. The table has "
            "every municipality.",
        ),
        (measure_panel(region, "eur_per_service", year), measure_panel(region, "eur_per_client", year)),
        table=unit_table(rows, classes),
        columns=2,
    )
    return Section(
        "kustannukset",
        Label("Kustannukset", "Costs"),
        Label(
            f"Kirjanpidon kulut (tilit 4000–4999) vuodelta {year} palveluluokittain: asukasta, "
            "palvelua ja asiakasta kohden. Alueen yhteiset kustannukset näkyvät vain koko alueen luvuissa.",
            f"Ledger costs (accounts 4000–4999) of {year} by service class: per resident, per service "
            "and per client. Region-wide costs show only in the whole region's figures.",
        ),
        (per_resident, per_unit),
    )


def unit_cost_headline(frame: pl.DataFrame) -> Headline | None:
    """The whole region's cost per resident, all classes, in the latest year."""
    rows = latest_year(frame).filter(
        (pl.col("municipality_code") == REGION_CODE) & (pl.col("service_class") == ALL)
    )
    if rows.is_empty():
        return None
    row = rows.row(0, named=True)
    return Headline(
        Label("Kustannukset asukasta kohden", "cost per resident"),
        euros(row["eur_per_resident"]),
        f"koko alue, vuosi {row['year']}",
    )
