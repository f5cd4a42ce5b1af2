"""`audit.column_lineage`: the lineage as a table in the warehouse, for SQL-minded auditors."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from sotevault.lineage.edges import LineageEdge

TABLE = "audit.column_lineage"

_DDL = f"""
create schema if not exists audit;
create or replace table {TABLE} (
    model varchar not null,
    "column" varchar not null,
    source_model varchar,          -- NULL: the column is computed from no column (a literal)
    source_column varchar,
    through_aggregate boolean not null,
    model_layer varchar not null,
    source_layer varchar
)
"""


def write_lineage_table(con: duckdb.DuckDBPyConnection, edges: Iterable[LineageEdge]) -> int:
    """Create or replace `audit.column_lineage` with one row per edge; the number of rows."""
    rows = [
        (
            e.model,
            e.column,
            e.source_model,
            e.source_column,
            e.through_aggregate,
            e.model_layer,
            e.source_layer,
        )
        for e in sorted(edges, key=LineageEdge.sort_key)
    ]
    con.execute("begin")
    try:
        con.execute(_DDL)
        if rows:
            con.executemany(f"insert into {TABLE} values (?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("commit")
    except duckdb.Error:
        con.execute("rollback")
        raise
    return len(rows)
