"""Jobs. One writer at a time: DuckDB lets a single process hold the warehouse file."""

from __future__ import annotations

import dagster as dg

JOB_NAME = "sotevault"

sotevault_job = dg.define_asset_job(
    JOB_NAME,
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Landing files → raw tables (→ vault → marts as they are built).",
)
