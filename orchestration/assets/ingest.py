"""Ingestion assets: the landing inventory, then one raw table per source.

No `from __future__ import annotations` here: Dagster reads the context annotation at runtime.
"""

from datetime import UTC, datetime
from typing import Any

import dagster as dg
from pydantic import Field

from orchestration.resources import WarehouseResource
from sotevault.ingest.landing import landed_files, record_unrecognised
from sotevault.ingest.load import load_source
from sources.registry import SOURCES, SourceSpec, discover

LANDING_KEY = dg.AssetKey(["landing", "inventory"])
INGEST_GROUP = "ingestion"


def raw_key(source: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", source])


class RawLoadConfig(dg.Config):
    """How a raw step checks the files it loaded before."""

    hash_every_file: bool = Field(
        default=False,
        description=(
            "Read every landed file of the source again to see none was rewritten, not only those "
            "whose size, times or inode moved since they were hashed: the weekly full check."
        ),
    )


@dg.asset(
    key=LANDING_KEY,
    group_name=INGEST_GROUP,
    description="The files in the landing area; files that match no source export are refused.",
    check_specs=[dg.AssetCheckSpec("every_file_recognised", asset=LANDING_KEY)],
)
def landing_inventory(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:  # type: ignore[type-arg]
    files, unrecognised = discover(warehouse.landing)
    with warehouse.ingest_connection() as con:
        unknown = record_unrecognised(con, unrecognised, context.run.run_id, datetime.now(UTC))
    for name, why in unknown:
        context.log.error(f"REFUSED {name}: {why}")
    per_source = {spec.name: sum(1 for f in files if f.source is spec) for spec in SOURCES}
    return dg.MaterializeResult(
        metadata={"landing": str(warehouse.landing), "files": len(files), **per_source},
        check_results=[
            dg.AssetCheckResult(
                check_name="every_file_recognised",
                passed=not unknown,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={
                    "unrecognised": dg.MetadataValue.md(
                        "\n".join(f"- {n}: {w}" for n, w in unknown) or "none"
                    )
                },
            )
        ],
    )


def build_raw_asset(spec: SourceSpec) -> dg.AssetsDefinition:
    key = raw_key(spec.name)

    @dg.asset(
        key=key,
        deps=[LANDING_KEY],
        group_name=INGEST_GROUP,
        kinds={"duckdb", "python"},
        description=f"raw.{spec.name}: {spec.description}. New files of LANDING/{spec.directory}/, "
        "checked against the source's contract; failing rows go to audit.quarantine.",
        check_specs=[dg.AssetCheckSpec("no_refused_files", asset=key)],
    )
    def raw_asset(  # Dagster inspects the bare MaterializeResult class: no type argument
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, config: RawLoadConfig
    ) -> dg.MaterializeResult:  # type: ignore[type-arg]
        files = landed_files(warehouse.landing, spec.name)
        with warehouse.ingest_connection() as con:
            outcome = load_source(
                con,
                spec.name,
                files,
                context.run.run_id,
                datetime.now(UTC),
                log=context.log.info,
                hash_every_file=config.hash_every_file,
            )
        refused = outcome.refused
        for f in refused:
            context.log.error(f"REFUSED {spec.directory}/{f.file_name}: {f.message}")
        return dg.MaterializeResult(
            metadata={
                "files_loaded": sum(1 for f in outcome.files if f.status == "loaded"),
                "files_duplicate": sum(1 for f in outcome.files if f.status == "duplicate"),
                "files_refused": len(refused),
                "files_unchanged": outcome.unchanged,
                "rows_read": outcome.total("rows_read"),
                "rows_loaded": outcome.total("rows_loaded"),
                "rows_quarantined": outcome.total("rows_quarantined"),
                "seconds": round(outcome.seconds, 2),
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name="no_refused_files",
                    passed=not refused,
                    severity=dg.AssetCheckSeverity.ERROR,
                    metadata={
                        "refused": dg.MetadataValue.md(
                            "\n".join(f"- {f.file_name}: {f.message}" for f in refused) or "none"
                        )
                    },
                )
            ],
        )

    return raw_asset


RAW_ASSETS = [build_raw_asset(spec) for spec in SOURCES]


def raw_load_run_config(hash_every_file: bool) -> dict[str, Any]:
    """The run config that sets `RawLoadConfig` on every raw step."""
    return {"ops": {raw.op.name: {"config": {"hash_every_file": hash_every_file}} for raw in RAW_ASSETS}}
