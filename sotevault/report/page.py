"""The page: the sections of every indicator, rendered into one self-contained HTML file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2

from sotevault.report.care_guarantee import care_guarantee_headline, care_guarantee_section
from sotevault.report.conformance import conformance_headline, conformance_section
from sotevault.report.data import Marts
from sotevault.report.e_contacts import e_contact_headline, e_contact_section
from sotevault.report.figures import Headline, Section
from sotevault.report.formatting import period, timestamp
from sotevault.report.labels import Label
from sotevault.report.unit_costs import unit_cost_headline, unit_cost_section

TEMPLATE = "template.html"
LOCAL_TIME = ZoneInfo("Europe/Helsinki")
TITLE = Label("Hyvinvointialueen indikaattorit", "Wellbeing services county indicators")


@dataclass(frozen=True)
class Page:
    title: Label
    built_at: str
    data_period: str
    headlines: tuple[Headline, ...]
    sections: tuple[Section, ...]
    source_file: str


def data_period(marts: Marts) -> str:
    """The months of the care-guarantee and e-contact marts, and the year of the costs shown."""
    months: list[date] = [
        *marts.care_guarantee["month"].to_list(),
        *marts.e_contact_share["month"].to_list(),
    ]
    years: list[int] = marts.unit_costs["year"].to_list()
    parts = [period(min(months), max(months))] if months else []
    if years:
        parts.append(f"kustannukset {max(years)}")
    return "; ".join(parts) or "–"


def build_page(marts: Marts, built_at: datetime, source_file: str) -> Page:
    """Every section and headline figure, from the marts; `built_at` is shown in Helsinki time."""
    headlines = (
        care_guarantee_headline(marts.care_guarantee),
        e_contact_headline(marts.e_contact_share),
        unit_cost_headline(marts.unit_costs),
        conformance_headline(marts.mds_conformance),
    )
    sections = (
        care_guarantee_section(marts.care_guarantee),
        e_contact_section(marts.e_contact_share),
        unit_cost_section(marts.unit_costs),
        conformance_section(marts.mds_conformance),
    )
    return Page(
        TITLE,
        timestamp(built_at.astimezone(LOCAL_TIME)),
        data_period(marts),
        tuple(h for h in headlines if h is not None),
        sections,
        source_file,
    )


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )


def render_page(page: Page) -> str:
    """The HTML text of the page."""
    template = environment().get_template(TEMPLATE)
    return template.render(
        title=page.title,
        built_at=page.built_at,
        data_period=page.data_period,
        headlines=page.headlines,
        sections=page.sections,
        source_file=page.source_file,
    )
