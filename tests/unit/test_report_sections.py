"""The report's sections built from hand-made mart frames: what each chart shows, and where."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from sotevault.codelists import codes, seed_rows
from sotevault.report.care_guarantee import care_guarantee_headline, care_guarantee_section
from sotevault.report.conformance import conformance_headline, conformance_section
from sotevault.report.data import COLUMNS
from sotevault.report.e_contacts import e_contact_headline, e_contact_section
from sotevault.report.figures import Panel
from sotevault.report.labels import RULES_FI, SERVICE_CLASSES_FI, municipality_names
from sotevault.report.unit_costs import unit_cost_headline, unit_cost_section

SVG = "{http://www.w3.org/2000/svg}"
JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)
NBSP, NNBSP = "\u00a0", "\u202f"


def frame(table: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A mart frame with every column of indicators.md; columns a row leaves out are null."""
    return pl.DataFrame(
        [{column: row.get(column) for column in COLUMNS[table]} for row in rows],
        schema_overrides={"cost_eur": pl.Decimal(18, 2)} if table == "mart_unit_costs" else None,
        infer_schema_length=None,
    )


def parse(panel: Panel) -> ET.Element:
    return ET.fromstring(panel.svg)


def polylines(panel: Panel) -> dict[str, list[str]]:
    """Series label → its polylines' points."""
    return {
        g.get("data-series", ""): [p.get("points", "") for p in g.iter(f"{SVG}polyline")]
        for g in parse(panel).iter(f"{SVG}g")
    }


def reference_y(panel: Panel) -> str | None:
    (line,) = [e for e in parse(panel).iter(f"{SVG}line") if e.get("class") == "reference"]
    return line.get("y1")


def care(code: str, month: date, group: str, s7: float | None, s14: float, assessed: float) -> dict[str, Any]:
    return {
        "month": month,
        "municipality_code": code,
        "professional_group": group,
        "visits": 100,
        "share_within_7d": s7,
        "share_within_14d": s14,
        "share_with_assessment": assessed,
        "median_wait_days": 4,
    }


CARE = frame(
    "mart_care_guarantee",
    [
        care("000", JAN, "ALL", 0.8, 0.9, 1.0),
        care("000", FEB, "ALL", 0.75, 0.95, 0.9),
        care("000", JAN, "LAAK", 0.1, 0.1, 0.1),  # another group: in no chart
        care("000", FEB, "LAAK", 0.1, 0.1, 0.1),
        care("018", JAN, "ALL", None, 0.9, 1.0),
        care("018", FEB, "ALL", 0.6, 0.9, 1.0),
    ],
)


def test_care_guarantee_is_a_panel_per_municipality_with_the_legal_line_at_100_percent() -> None:
    (figure,) = care_guarantee_section(CARE).figures
    assert [p.heading for p in figure.panels] == ["Koko alue", "Askola"]
    region, askola = figure.panels
    # Panel: plot y 12…146 (134 high), x 42…266; axis 50…100 % (the lowest share, 60 %, is above 50 %).
    assert reference_y(region) == "12.0"
    lines = polylines(region)
    assert lines["7 vrk:n sisällä"] == ["42.0,65.6 266.0,79.0"]  # 80 %, 75 %
    assert lines["14 vrk:n sisällä"] == ["42.0,38.8 266.0,25.4"]  # 90 %, 95 %
    assert lines["Arvio kirjattu"] == ["42.0,12.0 266.0,38.8"]  # 100 %, 90 %
    # A month without visits is a gap: Askola's 7-day line is February alone.
    assert polylines(askola)["7 vrk:n sisällä"] == ["266.0,119.2"]  # 60 %
    assert region.note == f"2/2024: 7 vrk 75,0{NBSP}% · 14 vrk 95,0{NBSP}% · arvio 90,0{NBSP}%"


def test_care_guarantee_table_and_headline() -> None:
    (figure,) = care_guarantee_section(CARE).figures
    assert figure.table is not None
    assert figure.table.rows[0] == (
        "Koko alue",
        "1/2024",
        "100",
        f"80,0{NBSP}%",
        f"90,0{NBSP}%",
        f"100,0{NBSP}%",
        "4",
    )
    assert len(figure.table.rows) == 4  # ALL only
    headline = care_guarantee_headline(CARE)
    assert headline is not None
    assert (headline.value, headline.note) == (f"75,0{NBSP}%", "koko alue, helmikuu 2024")


def contact(code: str, month: date, area: str, share: float, contacts: int = 1000) -> dict[str, Any]:
    return {
        "month": month,
        "municipality_code": code,
        "service_area": area,
        "contacts": contacts,
        "e_contacts": int(share * contacts),
        "e_contact_share": share,
    }


CONTACTS = frame(
    "mart_e_contact_share",
    [
        contact(code, month, area, share)
        for code in ("000", "638")
        for month in (JAN, FEB)
        for area, share in (("health", 0.4), ("social", 0.1), ("ALL", 0.2))
    ],
)


def test_e_contacts_draw_the_35_percent_aim_at_its_height() -> None:
    region_figure, municipal_figure = e_contact_section(CONTACTS).figures
    (region,) = region_figure.panels
    # Region chart: plot y 14…266 (252 high), axis 0…50 %: 35 % is 70 % of the way up.
    assert reference_y(region) == "89.6"
    assert [p.heading for p in municipal_figure.panels] == ["Porvoo"]
    (porvoo,) = municipal_figure.panels
    # Panel: plot y 12…146 (134 high).
    assert reference_y(porvoo) == "52.2"
    lines = polylines(porvoo)
    assert set(lines) == {"Terveydenhuolto", "Sosiaalihuolto", "Kaikki"}
    assert lines["Kaikki"] == ["42.0,92.4 250.0,92.4"]  # 20 %
    assert porvoo.note == f"2/2024 · terveys 40,0{NBSP}% · sosiaali 10,0{NBSP}% · kaikki 20,0{NBSP}%"


def test_e_contact_axis_grows_past_50_percent_when_a_share_does() -> None:
    high = CONTACTS.with_columns(
        pl.when(pl.col("service_area") == "health")
        .then(0.62)
        .otherwise(pl.col("e_contact_share"))
        .alias("e_contact_share")
    )
    (region,) = e_contact_section(high).figures[0].panels
    ticks = [t.text for t in parse(region).iter(f"{SVG}text") if t.get("class") == "tick"][:5]
    assert ticks == [f"0{NBSP}%", f"20{NBSP}%", f"40{NBSP}%", f"60{NBSP}%", f"80{NBSP}%"]


def test_e_contact_table_and_headline() -> None:
    region_figure, _ = e_contact_section(CONTACTS).figures
    assert region_figure.table is not None
    assert region_figure.table.rows == (
        ("Koko alue", "1/2024", f"40,0{NBSP}%", f"10,0{NBSP}%", f"20,0{NBSP}%", f"1{NNBSP}000"),
        ("Koko alue", "2/2024", f"40,0{NBSP}%", f"10,0{NBSP}%", f"20,0{NBSP}%", f"1{NNBSP}000"),
    )
    headline = e_contact_headline(CONTACTS)
    assert headline is not None
    assert headline.value == f"20,0{NBSP}%"


def cost(year: int, code: str, cls: str, per_resident: str, per_service: str | None) -> dict[str, Any]:
    return {
        "year": year,
        "municipality_code": code,
        "service_class": cls,
        "cost_eur": Decimal("1000.00"),
        "services": 10,
        "clients": 5,
        "residents": 100,
        "eur_per_service": None if per_service is None else Decimal(per_service),
        "eur_per_client": None if per_service is None else Decimal(per_service) * 2,
        "eur_per_resident": Decimal(per_resident),
    }


COSTS = frame(
    "mart_unit_costs",
    [
        cost(2023, "000", "ALL", "9999.99", "9999.99"),  # an earlier year: not shown
        cost(2024, "000", "ALL", "6498.86", "391.15"),
        cost(2024, "000", "HALL", "649.10", None),
        cost(2024, "000", "PTH_AVO", "779.40", "293.04"),
        cost(2024, "638", "ALL", "5982.50", "359.45"),
        cost(2024, "638", "HALL", "0.00", None),
        cost(2024, "638", "PTH_AVO", "768.82", "289.96"),
    ],
)


def bar_texts(panel: Panel) -> list[tuple[str | None, str | None]]:
    svg = parse(panel)
    labels = [t.text for t in svg.iter(f"{SVG}text") if "bar-label" in (t.get("class") or "")]
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "bar-value"]
    return list(zip(labels, values, strict=True))


def test_euros_per_resident_are_small_multiples_by_class_of_the_latest_year() -> None:
    per_resident, per_unit = unit_cost_section(COSTS).figures
    assert [p.heading for p in per_resident.panels] == [
        "Kaikki palvelut",
        "Avosairaanhoito",
        "Hallinto ja tukipalvelut",
    ]
    assert bar_texts(per_resident.panels[0]) == [
        ("Koko alue", f"6{NNBSP}499{NBSP}€"),
        ("Porvoo", f"5{NNBSP}983{NBSP}€"),
    ]
    # €/service only where defined: administration has no services.
    per_service, per_client = per_unit.panels
    assert bar_texts(per_service) == [("Kaikki palvelut", f"391{NBSP}€"), ("Avosairaanhoito", f"293{NBSP}€")]
    assert bar_texts(per_client) == [("Kaikki palvelut", f"782{NBSP}€"), ("Avosairaanhoito", f"586{NBSP}€")]
    assert per_resident.table is not None
    assert per_resident.table.header[1:] == ("Koko alue", "Porvoo")
    assert per_resident.table.rows[0] == (
        "Kaikki palvelut",
        f"6{NNBSP}498,86{NBSP}€",
        f"5{NNBSP}982,50{NBSP}€",
    )
    headline = unit_cost_headline(COSTS)
    assert headline is not None
    assert (headline.value, headline.note) == (f"6{NNBSP}499{NBSP}€", "koko alue, vuosi 2024")


def rule_row(src: str, month: date, rule_id: str, checked: int, failing: int) -> dict[str, Any]:
    return {
        "source": src,
        "month": month,
        "rule_id": rule_id,
        "rule_description": f"{rule_id} described",
        "records_checked": checked,
        "records_failing": failing,
        "conformance_share": (checked - failing) / checked if checked else None,
    }


RULES = frame(
    "mart_mds_conformance",
    [
        rule_row("aptj_a", JAN, "required_present", 1000, 10),
        rule_row("aptj_a", JAN, "dg_recorded", 1000, 0),
        rule_row("aptj_a", FEB, "required_present", 1000, 2),
        rule_row("aptj_a", FEB, "dg_recorded", 1000, 4),
        rule_row("aptj_a", MAR, "required_present", 0, 0),  # no extract: not the latest month
        rule_row("aptj_a", MAR, "dg_recorded", 0, 0),
        rule_row("talous", JAN, "cost_centre_resolved", 400, 1),
        rule_row("talous", FEB, "cost_centre_resolved", 0, 0),
        rule_row("talous", MAR, "cost_centre_resolved", 0, 0),
    ],
)


def test_conformance_latest_month_is_the_latest_with_checks() -> None:
    section = conformance_section(RULES)
    latest, trend = section.figures
    dots = parse(latest.panels[0])
    labels = [t.text for t in dots.iter(f"{SVG}text") if t.get("class") == "bar-label"]
    values = [t.text for t in dots.iter(f"{SVG}text") if t.get("class") == "bar-value"]
    assert labels == ["Potilastietojärjestelmä A 2/2024", "Talous 1/2024"]
    # aptj_a in February: 6 of 2 000 checks failed.
    assert values == [f"99,70{NBSP}%", f"99,75{NBSP}%"]
    trend_lines = polylines(trend.panels[0])
    assert len(trend_lines["Potilastietojärjestelmä A"]) == 1  # January–February, March a gap
    assert len(trend_lines["Talous"]) == 1


def test_worst_rules_are_listed_lowest_share_first() -> None:
    section = conformance_section(RULES)
    assert section.listing is not None
    rows = section.listing.rows
    assert [(r[0], r[1], r[2].fi if not isinstance(r[2], str) else r[2]) for r in rows] == [
        ("Potilastietojärjestelmä A", "2/2024", "diagnoosi kirjattu lääkärikäynnille"),
        ("Talous", "1/2024", "kustannuspaikka rekisterissä"),
        ("Potilastietojärjestelmä A", "2/2024", "pakolliset tiedot"),
    ]
    assert rows[0][3:] == (f"4 / 1{NNBSP}000", f"99,60{NBSP}%")
    headline = conformance_headline(RULES)
    assert headline is not None
    assert (headline.value, headline.note) == (f"99,70{NBSP}%", "Potilastietojärjestelmä A, 2/2024")


def test_every_code_of_the_seeds_has_a_finnish_name() -> None:
    assert set(codes("palveluluokka")) == set(SERVICE_CLASSES_FI)
    assert {row["rule_id"] for row in seed_rows("conformance_rule")} == set(RULES_FI)
    assert list(municipality_names()) == ["000", *codes("kunta")]
    assert municipality_names()["638"] == "Porvoo"
