"""The one Definitions object: what `dagster dev` shows and `sotevault run` executes."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.dbt import sotevault_dbt_assets
from orchestration.assets.expectations import MART_EXPECTATION_CHECKS
from orchestration.assets.ingest import RAW_ASSETS, landing_inventory
from orchestration.assets.publish import marts_duckdb, parquet_exports
from orchestration.assets.report import indicator_report
from orchestration.dbt_project import DBT_EXECUTABLE, dbt_project
from orchestration.dbt_resource import SotevaultDbtResource
from orchestration.jobs import sotevault_job
from orchestration.resources import warehouse_from_env
from orchestration.schedules import daily_load
from orchestration.sensors import landing_sensor

defs = dg.Definitions(
    assets=[
        landing_inventory,
        *RAW_ASSETS,
        sotevault_dbt_assets,
        marts_duckdb,
        parquet_exports,
        indicator_report,
    ],
    asset_checks=MART_EXPECTATION_CHECKS,
    jobs=[sotevault_job],
    schedules=[daily_load],
    sensors=[landing_sensor],
    resources={
        "warehouse": warehouse_from_env(),
        "dbt": SotevaultDbtResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    },
)
