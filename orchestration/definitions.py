"""The one Definitions object: what `dagster dev` shows and `sotevault run` executes."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.ingest import RAW_ASSETS, landing_inventory
from orchestration.jobs import sotevault_job
from orchestration.resources import warehouse_from_env

defs = dg.Definitions(
    assets=[landing_inventory, *RAW_ASSETS],
    jobs=[sotevault_job],
    resources={"warehouse": warehouse_from_env()},
)
