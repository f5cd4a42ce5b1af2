"""`audit.model_runs`: one row per dbt model per run, what it did and what it cost."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb

MODEL_RUNS_DDL = """
create schema if not exists audit;
create table if not exists audit.model_runs (
    run_id varchar not null,          -- the Dagster run (or a CLI-given id)
    invocation_id varchar not null,   -- the dbt invocation
    model varchar not null,
    resource_type varchar not null,
    materialization varchar,
    status varchar not null,
    rows_inserted bigint,             -- rows this run added (vault models: this run's batches;
                                      -- null for the business vault's incremental tables)
    rows_total bigint,                -- rows in the table after the run (null for views and staging)
    seconds double not null,
    finished_at timestamptz not null
);
"""


def record_model_runs(
    con: duckdb.DuckDBPyConnection, run_id: str, run_results: Mapping[str, Any], manifest: Mapping[str, Any]
) -> int:
    """Append one row per executed model/seed of a dbt invocation; returns the rows written."""
    con.execute(MODEL_RUNS_DDL)
    invocation = run_results["metadata"]["invocation_id"]
    finished = run_results["metadata"]["generated_at"]
    # Staging tables live in an in-memory database for the length of the dbt invocation
    # (profiles.yml `attach`): gone by now, they have no row count here.
    warehouse_db = con.execute("select current_database()").fetchall()[0][0]
    written = 0
    for result in run_results["results"]:
        unique_id: str = result["unique_id"]
        if not unique_id.startswith(("model.", "seed.")):
            continue
        node = manifest["nodes"][unique_id]
        materialized = node["config"].get("materialized")
        relation = f'"{node["schema"]}"."{node["alias"]}"'
        inserted, total = None, None
        if result["status"] == "success":
            if materialized == "incremental":
                found = con.execute(
                    "select rows_inserted from audit.vault_watermarks where model = ? and invocation_id = ?",
                    [node["alias"], invocation],
                ).fetchall()
                inserted = int(found[0][0]) if found else None
            if materialized in ("table", "incremental", "seed") and node["database"] == warehouse_db:
                total = int(con.execute(f"select count(*) from {relation}").fetchall()[0][0])
                if materialized != "incremental":
                    inserted = total  # rebuilt whole
        con.execute(
            "insert into audit.model_runs values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz)",
            [
                run_id,
                invocation,
                node["name"],
                node["resource_type"],
                materialized,
                result["status"],
                inserted,
                total,
                float(result["execution_time"]),
                finished,
            ],
        )
        written += 1
    return written
