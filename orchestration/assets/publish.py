"""Publication: what analysts (marts.duckdb) and BI tools (Parquet exports) read."""

from datetime import UTC, datetime

import dagster as dg

from orchestration.resources import WarehouseResource
from sotevault.marts import MARTS
from sotevault.publish import publish_exports, publish_marts_file

PUBLICATION_GROUP = "publication"
MARTS_FILE_KEY = dg.AssetKey(["publication", "marts_duckdb"])
EXPORTS_KEY = dg.AssetKey(["publication", "exports"])


@dg.asset(
    key=MARTS_FILE_KEY,
    deps=[dg.AssetKey(["marts", mart]) for mart in MARTS],
    group_name=PUBLICATION_GROUP,
    kinds={"duckdb"},
    description="DATA_DIR/marts.duckdb: the marts with exact values, swapped in whole after a good build, "
    "so analysts query them while the warehouse loads.",
)
def marts_duckdb(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:  # type: ignore[type-arg]
    path = publish_marts_file(warehouse.paths)
    context.log.info(f"published {path}")
    return dg.MaterializeResult(metadata={"path": str(path)})


@dg.asset(
    key=EXPORTS_KEY,
    deps=[dg.AssetKey(["exports", f"export_{mart}"]) for mart in MARTS],
    group_name=PUBLICATION_GROUP,
    kinds={"parquet"},
    description="DATA_DIR/exports/<mart>/: Parquet by year, small cells suppressed, with manifest.json.",
)
def parquet_exports(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:  # type: ignore[type-arg]
    rows = publish_exports(warehouse.paths, datetime.now(UTC))
    context.log.info(f"exports in {warehouse.paths.exports}: {rows}")
    return dg.MaterializeResult(metadata={"path": str(warehouse.paths.exports), **rows})
