"""Reading the published marts (`DATA_DIR/marts.duckdb`, see sotevault.publish) for the report.

The report reads exactly the columns of indicators.md, by name: a mart may add columns, and a
missing one is an error that names the file, the table and what it lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from sotevault.marts import MART_COLUMNS, MART_GRAIN
from sotevault.paths import DataPaths
from sotevault.publish import PUBLISHED_SCHEMA as MARTS_SCHEMA

COLUMNS = MART_COLUMNS
ORDER = {mart: ", ".join(grain) for mart, grain in MART_GRAIN.items()}


class ReportDataError(Exception):
    """The marts file is missing, or lacks a table or a column the report reads."""


@dataclass(frozen=True)
class Marts:
    """The four marts, as published, one frame each."""

    care_guarantee: pl.DataFrame
    e_contact_share: pl.DataFrame
    unit_costs: pl.DataFrame
    mds_conformance: pl.DataFrame


def marts_path(data_dir: Path) -> Path:
    """Where the publication step writes the marts: `DATA_DIR/marts.duckdb`."""
    return DataPaths(data_dir).marts_file


def read_mart(con: duckdb.DuckDBPyConnection, catalog: str, table: str, where: Path) -> pl.DataFrame:
    """One mart's columns of indicators.md, in its grain's order."""
    found = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_catalog = ? and table_schema = ? and table_name = ?",
            [catalog, MARTS_SCHEMA, table],
        ).fetchall()
    }
    if not found:
        raise ReportDataError(f"{where}: table {table} is missing")
    missing = [column for column in COLUMNS[table] if column not in found]
    if missing:
        raise ReportDataError(f"{where}: {table} lacks column(s) {', '.join(missing)}")
    columns = ", ".join(COLUMNS[table])
    frame: pl.DataFrame = con.sql(
        f'select {columns} from "{catalog}".{MARTS_SCHEMA}.{table} order by {ORDER[table]}'
    ).pl()
    return frame


def read_marts(path: Path) -> Marts:
    """Every mart the report shows, read from the marts file opened read-only."""
    if not path.is_file():
        raise ReportDataError(f"{path}: no published marts here; `sotevault run` builds and publishes them")
    con = duckdb.connect(str(path), read_only=True)
    try:
        catalog = str(con.execute("select current_database()").fetchall()[0][0])
        frames = {table: read_mart(con, catalog, table, path) for table in COLUMNS}
    finally:
        con.close()
    return Marts(
        care_guarantee=frames["mart_care_guarantee"],
        e_contact_share=frames["mart_e_contact_share"],
        unit_costs=frames["mart_unit_costs"],
        mds_conformance=frames["mart_mds_conformance"],
    )
