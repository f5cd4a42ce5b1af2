"""The indicator report: one HTML page drawn from the published marts (`DATA_DIR/marts.duckdb`).

No `from __future__ import annotations` here: Dagster reads the context annotation at runtime.
"""

import dagster as dg

from orchestration.resources import WarehouseResource
from sotevault.report import write_report
from sotevault.report.data import COLUMNS

REPORT_KEY = dg.AssetKey(["report", "indicators"])
REPORT_GROUP = "report"
PUBLICATION_KEY = dg.AssetKey(["publication", "marts_duckdb"])
MART_KEYS = [dg.AssetKey(["marts", table]) for table in COLUMNS]


@dg.asset(
    key=REPORT_KEY,
    deps=[*MART_KEYS, PUBLICATION_KEY],
    group_name=REPORT_GROUP,
    kinds={"html", "python"},
    description="DATA_DIR/report/index.html: the indicator report for managers (care guarantee, "
    "electronic contacts, unit costs, data quality), one self-contained page of inline SVG charts "
    "read from the published marts.",
)
def indicator_report(  # Dagster inspects the bare MaterializeResult class: no type argument
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    written = write_report(warehouse.paths.data_dir)
    context.log.info(f"Indicator report ({written.data_period}) written to {written.path}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(written.path)),
            "data_period": written.data_period,
            "bytes": written.bytes,
        }
    )
