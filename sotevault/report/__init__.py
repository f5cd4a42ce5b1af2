"""The indicator report: one self-contained HTML page drawn from the published marts.

`write_report(data_dir)` reads `DATA_DIR/marts.duckdb` (read-only) and writes
`DATA_DIR/report/index.html`: inline SVG charts, no scripts, no files beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sotevault.report.data import ReportDataError, marts_path, read_marts
from sotevault.report.page import build_page, render_page

REPORT_DIR = "report"
REPORT_FILE = "index.html"

__all__ = ["ReportDataError", "WrittenReport", "default_report_path", "render_report", "write_report"]


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    data_period: str
    bytes: int


def default_report_path(data_dir: Path) -> Path:
    """`DATA_DIR/report/index.html`."""
    return data_dir / REPORT_DIR / REPORT_FILE


def render_report(marts_file: Path, built_at: datetime | None = None) -> tuple[str, str]:
    """The page's HTML and its data period, from a marts file."""
    page = build_page(read_marts(marts_file), built_at or datetime.now(UTC), marts_file.name)
    return render_page(page), page.data_period


def write_report(data_dir: Path, out: Path | None = None, built_at: datetime | None = None) -> WrittenReport:
    """Render the report from `DATA_DIR/marts.duckdb` and write it (by default into DATA_DIR/report/).

    Written to a temporary name first and renamed, so a reader never opens half a page.
    """
    target = out or default_report_path(data_dir)
    html, data_period = render_report(marts_path(data_dir), built_at)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    partial.write_text(html, encoding="utf-8")
    partial.replace(target)
    return WrittenReport(target, data_period, len(html.encode("utf-8")))
