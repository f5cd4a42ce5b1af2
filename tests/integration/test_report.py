"""The indicator report end to end: a hand-made marts.duckdb → `sotevault report` → the HTML page.

The marts file is written here the way the publication step writes it (schema `marts`, the
columns and types of models/marts/), with a few rows whose figures the page must show.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.assets.report import REPORT_KEY, indicator_report
from orchestration.resources import WarehouseResource
from sotevault.cli import main

pytestmark = pytest.mark.integration

NBSP, NNBSP = "\u00a0", "\u202f"
SVG = "{http://www.w3.org/2000/svg}"

MARTS_SQL = """
create table mart_care_guarantee (
    month date, municipality_code varchar, professional_group varchar, visits bigint,
    visits_within_7d bigint, share_within_7d double, visits_within_14d bigint, share_within_14d double,
    median_wait_days bigint, p90_wait_days bigint, visits_missing_assessment bigint,
    visits_invalid_wait bigint, share_with_assessment double
);
insert into mart_care_guarantee values
    ('2024-01-01', '000', 'ALL', 100, 80, 0.80, 90, 0.90, 4, 12, 0, 0, 1.0),
    ('2024-02-01', '000', 'ALL', 200, 150, 0.75, 190, 0.95, 5, 14, 20, 0, 0.9090909090909091),
    ('2024-01-01', '000', 'LAAK', 10, 1, 0.1, 1, 0.1, 30, 40, 0, 0, 1.0),
    ('2024-02-01', '000', 'LAAK', 10, 1, 0.1, 1, 0.1, 30, 40, 0, 0, 1.0),
    ('2024-01-01', '018', 'ALL', 40, 30, 0.75, 36, 0.90, 4, 10, 0, 0, 1.0),
    ('2024-02-01', '018', 'ALL', 50, 30, 0.60, 45, 0.90, 6, 14, 0, 0, 1.0),
    ('2024-01-01', '638', 'ALL', 60, 50, 0.8333333333333334, 54, 0.90, 4, 12, 0, 0, 1.0),
    ('2024-02-01', '638', 'ALL', 150, 120, 0.80, 145, 0.9666666666666667, 4, 12, 20, 0, 0.8823529411764706);

create table mart_e_contact_share (
    month date, municipality_code varchar, service_area varchar, contacts bigint,
    contacts_in_person bigint, contacts_remote_realtime bigint, contacts_electronic bigint,
    e_contacts bigint, e_contact_share double
);
insert into mart_e_contact_share
select month, code, area, contacts, contacts - e, e // 2, e - e // 2, e, e / contacts
from (values ('2024-01-01'::date), ('2024-02-01'::date)) as m (month)
cross join (values ('000'), ('018'), ('638')) as k (code)
cross join (values ('health', 1000, 400), ('social', 1000, 100), ('ALL', 2000, 500)) as a (area, contacts, e);
-- An e-contact share of 25 % everywhere but the region's February: 20 %.
update mart_e_contact_share set e_contacts = 400, e_contact_share = 0.2
where month = '2024-02-01' and municipality_code = '000' and service_area = 'ALL';

create table mart_unit_costs (
    year integer, municipality_code varchar, service_class varchar, cost_eur decimal(18, 2),
    income_eur decimal(18, 2), net_cost_eur decimal(18, 2), services bigint, clients bigint,
    residents bigint, eur_per_service decimal(18, 2), eur_per_client decimal(18, 2),
    eur_per_resident decimal(18, 2)
);
insert into mart_unit_costs values
    (2023, '000', 'ALL', 999999.00, 0, 999999.00, 100, 10, 100, 9999.99, 99999.90, 9999.99),
    (2024, '000', 'ALL', 649885.99, 0, 649885.99, 1661, 98, 100, 391.26, 6631.49, 6498.86),
    (2024, '000', 'HALL', 64910.00, 0, 64910.00, 0, 0, 100, null, null, 649.10),
    (2024, '000', 'PTH_AVO', 77940.00, 0, 77940.00, 266, 90, 100, 293.01, 866.00, 779.40),
    (2024, '018', 'ALL', 58870.50, 0, 58870.50, 200, 10, 10, 294.35, 5887.05, 5887.05),
    (2024, '018', 'HALL', 0.00, 0, 0.00, 0, 0, 10, null, null, 0.00),
    (2024, '018', 'PTH_AVO', 7530.00, 0, 7530.00, 27, 9, 10, 278.89, 836.67, 753.00),
    (2024, '638', 'ALL', 299125.00, 0, 299125.00, 900, 50, 50, 332.36, 5982.50, 5982.50),
    (2024, '638', 'HALL', 0.00, 0, 0.00, 0, 0, 50, null, null, 0.00),
    (2024, '638', 'PTH_AVO', 38441.00, 0, 38441.00, 130, 45, 50, 295.70, 854.24, 768.82);

create table mart_mds_conformance (
    source varchar, month date, rule_id varchar, rule_description varchar,
    records_checked bigint, records_failing bigint, conformance_share double
);
insert into mart_mds_conformance values
    ('aptj_a', '2024-01-01', 'dg_recorded', 'ICD-10 or ICPC-2 recorded', 1000, 0, 1.0),
    ('aptj_a', '2024-01-01', 'required_present', 'every required field present', 1000, 10, 0.99),
    ('aptj_a', '2024-02-01', 'dg_recorded', 'ICD-10 or ICPC-2 recorded', 1000, 4, 0.996),
    ('aptj_a', '2024-02-01', 'required_present', 'every required field present', 1000, 2, 0.998),
    ('aptj_a', '2024-03-01', 'dg_recorded', 'ICD-10 or ICPC-2 recorded', 0, 0, null),
    ('aptj_a', '2024-03-01', 'required_present', 'every required field present', 0, 0, null),
    ('talous', '2024-01-01', 'cost_centre_resolved', 'the cost centre is in the register', 400, 1, 0.9975),
    ('talous', '2024-02-01', 'cost_centre_resolved', 'the cost centre is in the register', 0, 0, null),
    ('talous', '2024-03-01', 'cost_centre_resolved', 'the cost centre is in the register', 0, 0, null);
"""


def write_marts(data_dir: Path, sql: str = MARTS_SQL) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "marts.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(sql)  # into the file's default schema, as the publication step writes it
    finally:
        con.close()
    return path


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            yield from child.iter(tag)

    def all_text(self) -> str:
        return "".join(self.text) + "".join(c.all_text() for c in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


VOID = {"meta", "br", "img", "input", "link", "hr", "source", "wbr"}


class TreeBuilder(HTMLParser):
    """html.parser into a small tree (the page is HTML, not XML: no closing `<meta>`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        while len(self.stack) > 1:
            if self.stack.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.stack[-1].text.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Node]:
    data_dir = tmp_path_factory.mktemp("data")
    write_marts(data_dir)
    assert main(["report", "--data-dir", str(data_dir)]) == 0
    html = (data_dir / "report" / "index.html").read_text(encoding="utf-8")
    return html, parse(html)


def figure(page: Node, figure_id: str) -> Node:
    (found,) = [f for f in page.iter("figure") if f.attrs.get("id") == figure_id]
    return found


def svgs(html: str) -> list[ET.Element]:
    """Every chart of the page as XML (inline SVG is well-formed XML inside the HTML)."""
    charts = []
    start = html.find('<svg xmlns="http://www.w3.org/2000/svg" class="chart"')
    while start != -1:
        end = html.index("</svg>", start) + len("</svg>")
        charts.append(ET.fromstring(html[start:end]))
        start = html.find('<svg xmlns="http://www.w3.org/2000/svg" class="chart"', end)
    return charts


def test_the_page_is_self_contained(report: tuple[str, Node]) -> None:
    html, page = report
    assert not list(page.iter("script"))
    assert not list(page.iter("link"))
    assert not list(page.iter("img"))
    assert all(not n.attrs.get("src") for n in page.iter())
    assert all(n.attrs.get("href", "#").startswith("#") for n in page.iter())
    assert "url(" not in html and "@import" not in html
    assert html.replace("http://www.w3.org/2000/svg", "").count("http") == 0


def test_header_says_what_and_when(report: tuple[str, Node]) -> None:
    _, page = report
    (h1,) = page.iter("h1")
    assert h1.all_text().startswith("Hyvinvointialueen indikaattorit")
    meta = next(p for p in page.iter("p") if "meta" in p.classes()).all_text()
    assert "Koottu" in meta and " klo " in meta
    assert "1/2024–2/2024; kustannukset 2024" in meta


def test_headline_figures(report: tuple[str, Node]) -> None:
    _, page = report
    values = [d.all_text() for d in page.iter("div") if "value" in d.classes()]
    assert values == [f"75,0{NBSP}%", f"20,0{NBSP}%", f"6{NNBSP}499{NBSP}€", f"99,70{NBSP}%"]


def test_every_chart_is_titled_and_has_its_data_table(report: tuple[str, Node]) -> None:
    html, page = report
    figures = list(page.iter("figure"))
    assert [f.attrs["id"] for f in figures] == [
        "care-guarantee",
        "e-contacts-region",
        "e-contacts-municipalities",
        "eur-per-resident",
        "eur-per-unit",
        "conformance-latest",
        "conformance-trend",
    ]
    for one in figures:
        (details,) = one.iter("details")
        assert list(details.iter("table")), one.attrs["id"]
        assert "Lue näin:" in one.all_text()
    charts = svgs(html)
    assert len(charts) == 3 + 1 + 2 + 3 + 2 + 1 + 1
    for chart in charts:
        title = chart.find(f"{SVG}title")
        assert title is not None and title.text
        assert chart.get("role") == "img"


def test_care_guarantee_panels_name_the_municipalities(report: tuple[str, Node]) -> None:
    html, page = report
    care = figure(page, "care-guarantee")
    assert [h.all_text() for h in care.iter("h4")] == ["Koko alue", "Askola", "Porvoo"]
    assert "Hoitotakuu: käynnit 7 vrk:n sisällä" in next(care.iter("h3")).all_text()
    assert "Care guarantee within 7 days" in next(care.iter("h3")).all_text()
    titles = [c.findtext(f"{SVG}title") for c in svgs(html)[:3]]
    assert titles[1] == "Hoitotakuu, Askola: käyntien osuus 7 ja 14 vrk:n sisällä kuukausittain"
    table_rows = [[td.all_text() for td in tr.iter("td")] for tr in care.iter("tr")][1:]
    assert ["Askola", "2/2024", "50", f"60,0{NBSP}%", f"90,0{NBSP}%", f"100,0{NBSP}%", "6"] in table_rows
    assert len(table_rows) == 6  # all professional groups together only


def test_e_contact_chart_has_the_35_percent_aim(report: tuple[str, Node]) -> None:
    html, page = report
    region = next(c for c in svgs(html) if c.get("id") == "e-contacts-000")
    (reference,) = [e for e in region.iter(f"{SVG}line") if e.get("class") == "reference"]
    # Region chart: plot y 14…266, axis 0…50 %: 35 % sits at 266 − 0.7 × 252.
    assert reference.get("y1") == "89.6"
    assert "tavoite" in [t.text for t in region.iter(f"{SVG}text")]
    panels = [h.all_text() for h in figure(page, "e-contacts-municipalities").iter("h4")]
    assert panels == ["Askola", "Porvoo"]


def test_unit_costs_show_the_latest_year_only(report: tuple[str, Node]) -> None:
    html, page = report
    costs = figure(page, "eur-per-resident")
    assert [h.all_text() for h in costs.iter("h4")] == [
        "Kaikki palvelut",
        "Avosairaanhoito",
        "Hallinto ja tukipalvelut",
    ]
    all_classes = next(c for c in svgs(html) if c.get("id") == "eur-per-resident-all")
    assert [t.text for t in all_classes.iter(f"{SVG}text") if t.get("class") == "bar-value"] == [
        f"6{NNBSP}499{NBSP}€",
        f"5{NNBSP}887{NBSP}€",
        f"5{NNBSP}983{NBSP}€",
    ]
    assert "9999" not in html.replace(NNBSP, "") and "2023" not in html
    per_unit = [[td.all_text() for td in tr.iter("td")] for tr in figure(page, "eur-per-unit").iter("tr")]
    assert [
        "Koko alue",
        "Hallinto ja tukipalvelut",
        f"64{NNBSP}910{NBSP}€",
        "0",
        "0",
        "–",
        "–",
        f"649,10{NBSP}€",
    ] in per_unit


def test_conformance_lists_the_worst_rules_of_the_latest_month(report: tuple[str, Node]) -> None:
    _, page = report
    (section,) = [s for s in page.iter("section") if s.attrs.get("id") == "tietojen-laatu"]
    listing = next(d for d in section.iter("div") if "table-full" in d.classes())
    rows = [[td.all_text() for td in tr.iter("td")] for tr in listing.iter("tr")][1:]
    assert [r[:2] for r in rows] == [
        ["Potilastietojärjestelmä A", "2/2024"],
        ["Talous", "1/2024"],
        ["Potilastietojärjestelmä A", "2/2024"],
    ]
    assert rows[0][2].startswith("diagnoosi kirjattu lääkärikäynnille")
    assert rows[0][3:] == [f"4 / 1{NNBSP}000", f"99,60{NBSP}%"]


def test_a_missing_column_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_marts(tmp_path, MARTS_SQL.replace("share_with_assessment double", "assessment double"))
    assert main(["report", "--data-dir", str(tmp_path), "--out", str(tmp_path / "r.html")]) == 1
    error = capsys.readouterr().err
    assert ": mart_care_guarantee lacks column(s) share_with_assessment" in error
    assert str(tmp_path / "marts.duckdb") in error
    assert not (tmp_path / "r.html").exists()


def test_the_dagster_asset_writes_the_report(tmp_path: Path) -> None:
    write_marts(tmp_path)
    result = dg.materialize(
        [indicator_report],
        resources={
            "warehouse": WarehouseResource(data_dir=str(tmp_path), landing_dir=str(tmp_path / "landing"))
        },
    )
    assert result.success
    (materialization,) = [
        e.event_specific_data.materialization  # type: ignore[union-attr]
        for e in result.get_asset_materialization_events()
    ]
    assert materialization.asset_key == REPORT_KEY
    assert materialization.metadata["data_period"].value == "1/2024–2/2024; kustannukset 2024"
    assert (tmp_path / "report" / "index.html").is_file()
