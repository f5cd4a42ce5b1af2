"""Jobs. One writer at a time: DuckDB lets a single process hold the warehouse file."""

from __future__ import annotations

from typing import Any

import dagster as dg

from orchestration.assets.dbt import dbt_build_run_config
from orchestration.assets.ingest import raw_load_run_config

JOB_NAME = "sotevault"

sotevault_job = dg.define_asset_job(
    JOB_NAME,
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Landing files → raw tables (→ vault → marts as they are built).",
)


def full_check_run_config(full_check: bool) -> dict[str, Any]:
    """The weekly full check (Sunday's scheduled run, `sotevault run --full-check`) or a night's
    run: the vault's data tests read every row, and every landed file is hashed again."""
    return {"ops": raw_load_run_config(full_check)["ops"] | dbt_build_run_config(full_check)["ops"]}
