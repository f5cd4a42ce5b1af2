"""Tietojen laatu: minimum-data-set conformance by source, latest month and trend, worst rules.

A source's conformance in a month is the share of its rule checks that passed: every rule
checks every row once, so the checks of all rules are pooled. A month in which a source sent
nothing (no checks) has no figure, and a source's latest month is its latest month with checks.
"""

from __future__ import annotations

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
)
from sotevault.report.formatting import integer, month_short, percent, period
from sotevault.report.labels import Label, rule, source
from sotevault.report.svg import (
    BLACK,
    BLUE,
    GREEN,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
    YELLOW,
    Axis,
    Box,
    Dot,
    Series,
    dot_chart,
    legend_swatch,
    line_chart,
    share_axis,
)

# The axis shows at least the top percentage point: a 0.1-point wobble stays a wobble.
HIGHEST_AXIS_START = 0.99
WORST_RULES = 10
COLORS = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, BLACK, YELLOW)


def by_source_month(frame: pl.DataFrame) -> pl.DataFrame:
    """Checks and failures pooled over rules, per source and month, with the share passed."""
    return (
        frame.group_by("source", "month")
        .agg(pl.col("records_checked").sum(), pl.col("records_failing").sum())
        .with_columns(
            pl.when(pl.col("records_checked") > 0)
            .then(1 - pl.col("records_failing") / pl.col("records_checked"))
            .otherwise(None)
            .alias("conformance_share")
        )
        .sort("source", "month")
    )


def latest_by_source(pooled: pl.DataFrame) -> pl.DataFrame:
    """Each source's latest month that has checks."""
    return (
        pooled.filter(pl.col("records_checked") > 0)
        .sort("month")
        .group_by("source", maintain_order=True)
        .last()
        .sort("source")
    )


def axis_for(pooled: pl.DataFrame) -> Axis:
    values = [v for v in pooled["conformance_share"].to_list() if v is not None]
    return share_axis(min([HIGHEST_AXIS_START, *values]), 1.0)


def source_name(code: str) -> str:
    return source(code).fi


def latest_figure(latest: pl.DataFrame, axis: Axis) -> Figure:
    dots = [
        Dot(
            f"{source_name(r['source'])} {month_short(r['month'])}",
            r["conformance_share"],
            percent(r["conformance_share"], 2),
        )
        for r in latest.iter_rows(named=True)
    ]
    svg = dot_chart(
        "conformance-latest",
        "Tietojen laatu lähteittäin viimeisimmässä kuukaudessa",
        "Share of rule checks passed by source in its latest extract month.",
        dots,
        axis,
        width=640,
        label_width=250,
    )
    rows = _table_rows(latest)
    return Figure(
        "conformance-latest",
        Label("Tietojen laatu: viimeisin kuukausi", "Data quality: latest month"),
        Label(
            "Piste on läpäistyjen tarkistusten osuus; mitä oikeammalla, sitä parempi. "
            f"Asteikko alkaa {axis.label(axis.low)}:sta, ei nollasta.",
            "The dot is the share of checks passed; further right is better. "
            f"The scale starts at {axis.label(axis.low)}, not at zero.",
        ),
        (Panel("", svg),),
        table=Table(
            "Viimeisin kuukausi lähteittäin / latest month by source",
            (
                Label("Lähde", "source"),
                Label("Kuukausi", "month"),
                Label("Tarkistuksia", "checks"),
                Label("Virheitä", "failing"),
                Label("Kunnossa", "passed"),
            ),
            rows,
            numeric_from=2,
        ),
    )


def trend_figure(pooled: pl.DataFrame, axis: Axis) -> Figure:
    months = months_of(pooled)
    sources = list(dict.fromkeys(pooled["source"].to_list()))
    series = [
        Series(
            source_name(code),
            month_values(pooled.filter(pl.col("source") == code), months, "conformance_share"),
            COLORS[i % len(COLORS)],
        )
        for i, code in enumerate(sources)
    ]
    svg = line_chart(
        "conformance-trend",
        "Tietojen laatu lähteittäin kuukausittain",
        "Share of rule checks passed by source and extract month; a month without an extract leaves a gap.",
        months,
        series,
        axis,
        box=Box(width=640, height=280, left=54),
    )
    rows = _table_rows(pooled)
    return Figure(
        "conformance-trend",
        Label("Tietojen laatu kuukausittain", "Data quality by month"),
        Label(
            "Yksi viiva lähdettä kohden; notkahdus kertoo kuukaudesta, jonka aineistossa oli "
            "tavallista enemmän virheitä. Katko: lähde ei toimittanut aineistoa sinä kuukautena.",
            "One line per source; a dip is a month whose extracts had more faults than usual. "
            "A gap: no extract from that source that month.",
        ),
        (Panel("", svg),),
        tuple(
            LegendItem(source(code), legend_swatch(one.color))
            for code, one in zip(sources, series, strict=True)
        ),
        Table(
            "Tietojen laatu kuukausittain / by month",
            (
                Label("Lähde", "source"),
                Label("Kuukausi", "month"),
                Label("Tarkistuksia", "checks"),
                Label("Virheitä", "failing"),
                Label("Kunnossa", "passed"),
            ),
            rows,
            numeric_from=2,
        ),
    )


def worst_rules(frame: pl.DataFrame, latest: pl.DataFrame) -> Table:
    """The rules with the lowest share passed in each source's latest month."""
    rows = (
        frame.join(latest.select("source", "month"), on=["source", "month"])
        .filter(pl.col("records_failing") > 0)
        .sort(["conformance_share", "records_failing"], descending=[False, True])
        .head(WORST_RULES)
    )
    return Table(
        "Heikoimmat säännöt / worst rules",
        (
            Label("Lähde", "source"),
            Label("Kuukausi", "month"),
            Label("Sääntö", "rule"),
            Label("Virheitä / tarkistuksia", "failing / checked"),
            Label("Kunnossa", "passed"),
        ),
        tuple(
            (
                source_name(r["source"]),
                month_short(r["month"]),
                rule(r["rule_id"], r["rule_description"]),
                f"{integer(r['records_failing'])} / {integer(r['records_checked'])}",
                percent(r["conformance_share"], 2),
            )
            for r in rows.iter_rows(named=True)
        ),
        numeric_from=3,
    )


def conformance_section(frame: pl.DataFrame) -> Section:
    """Latest month per source as dots, the monthly trend as lines, and the worst rules listed."""
    pooled = by_source_month(frame)
    latest = latest_by_source(pooled)
    axis = axis_for(pooled)
    months = months_of(frame)
    extracts = period(months[0], months[-1]) if months else "–"
    return Section(
        "tietojen-laatu",
        Label("Tietojen laatu", "Minimum data set conformance"),
        Label(
            "Kuinka hyvin lähdejärjestelmien aineistot täyttävät vähimmäistietosisällön säännöt "
            f"(poimintakuukaudet {extracts}).",
            f"How well the source extracts meet the minimum-data-set rules (extract months {extracts}).",
        ),
        (latest_figure(latest, axis), trend_figure(pooled, axis)),
        listing=worst_rules(frame, latest),
        listing_title=Label(
            "Heikoimmat säännöt viimeisimmässä kuukaudessa", "Worst rules in the latest month"
        ),
    )


def conformance_headline(frame: pl.DataFrame) -> Headline | None:
    """The weakest source's share passed in its latest month."""
    latest = latest_by_source(by_source_month(frame))
    if latest.is_empty():
        return None
    weakest = latest.sort("conformance_share").row(0, named=True)
    return Headline(
        Label("Tietojen laatu, heikoin lähde", "data quality, weakest source"),
        percent(weakest["conformance_share"], 2),
        f"{source_name(weakest['source'])}, {month_short(weakest['month'])}",
    )


def _table_rows(frame: pl.DataFrame) -> tuple[tuple[str, ...], ...]:
    """The rows of a conformance chart's data table: source, month, checked, failing, share."""
    return tuple(
        (
            source_name(r["source"]),
            month_short(r["month"]),
            integer(r["records_checked"]),
            integer(r["records_failing"]),
            percent(r["conformance_share"], 2),
        )
        for r in frame.iter_rows(named=True)
    )
