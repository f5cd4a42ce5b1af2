"""The dbt models as Dagster assets, downstream of the raw tables; dbt tests are asset checks."""

import json
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from pydantic import Field

from orchestration.dbt_project import dbt_project
from orchestration.resources import WarehouseResource
from sotevault.dbt_sources import PARTIAL_PARSE_NAME, TARGET_DIR, publish_partial_parse
from sotevault.model_runs import record_model_runs
from sotevault.warehouse import connect

# Models live in folders by layer: the layer names the Dagster group.
LAYER_GROUPS = {
    "staging": "staging",
    "raw_vault": "raw_vault",
    "business_vault": "business_vault",
    "marts": "marts",
    "exports": "publication",
}


class DbtBuildConfig(dg.Config):
    """How the dbt build of a run tests the vault."""

    test_all_rows: bool = Field(
        default=False,
        description=(
            "Read every row of the vault in its data tests, not only the rows loaded (or the keys "
            "touched) since each test last passed (macros/tests/tested_rows.sql): the weekly full check."
        ),
    )


class SotevaultTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "code_lists"
        fqn = dbt_resource_props.get("fqn", [])
        layer = fqn[1] if len(fqn) > 2 else None
        return LAYER_GROUPS.get(layer or "", "dbt")


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    # The audit tables (load_files, rule_results) are both written by the landing stage: two dbt
    # sources, one upstream Dagster asset.
    dagster_dbt_translator=SotevaultTranslator(
        settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True)
    ),
)
def sotevault_dbt_assets(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    config: DbtBuildConfig,
) -> Iterator[Any]:
    args = ["build"]
    if config.test_all_rows:
        args += ["--vars", json.dumps({"sotevault_test_all_rows": True})]
    invocation = dbt.cli(args, context=context, raise_on_error=False)
    yield from invocation.stream()
    # Every run leaves an account of itself: one row per model in audit.model_runs (none when
    # dbt stopped before running a model, e.g. the warehouse was locked).
    try:
        run_results = invocation.get_artifact("run_results.json")
    except FileNotFoundError:
        context.log.error("dbt wrote no run_results.json: no model ran")
    else:
        # The manifest the assets were built from (target/manifest.json, already loaded).
        con = connect(warehouse.paths.warehouse)
        try:
            written = record_model_runs(con, context.run.run_id, run_results, invocation.manifest)
        finally:
            con.close()
        context.log.info(f"audit.model_runs: {written} models recorded")
    keep_partial_parse(invocation.target_path)
    error = invocation.get_error()
    if error is not None:
        raise error


def dbt_build_run_config(test_all_rows: bool) -> dict[str, Any]:
    """The run config that sets `DbtBuildConfig` (the schedule and `sotevault run` use it)."""
    return {"ops": {sotevault_dbt_assets.op.name: {"config": {"test_all_rows": test_all_rows}}}}


# dagster-dbt runs each invocation in a target directory of its own (target/<asset>-<run>/).
KEEP_INVOCATIONS = 10


def keep_partial_parse(invocation_target: Path) -> None:
    """Make the next invocation start from this one's parse, and prune old invocations.

    dagster-dbt seeds each invocation with target/partial_parse.msgpack. dbt re-parses the whole
    project (≈ 5 s) when the profile differs from the one that file was parsed with, and the
    profile names the warehouse under DATA_DIR: so after this run parsed for this DATA_DIR, its
    file becomes the seed (atomically: another run may be reading it). Only the newest
    KEEP_INVOCATIONS invocation directories are kept (each holds ~20 MB of logs and SQL).
    """
    publish_partial_parse(invocation_target / PARTIAL_PARSE_NAME)
    invocations = sorted(
        (p for p in TARGET_DIR.glob("sotevault_dbt_assets-*") if p.is_dir()),
        key=lambda p: p.stat().st_mtime,
    )
    for old in invocations[:-KEEP_INVOCATIONS]:
        shutil.rmtree(old, ignore_errors=True)
