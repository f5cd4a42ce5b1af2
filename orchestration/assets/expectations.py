"""Great Expectations on the published marts: one asset check per mart on marts.duckdb.

The four checks (`ge_<mart>`) are one multi-asset check: one step validates the selected
marts in one Great Expectations session, so two steps never write the project directory
(DATA_DIR/great_expectations) at once. It can run a subset, e.g. one check from the UI.
Not blocking: the marts are already published when they are checked. A failure that makes a
mart's figures wrong is an ERROR; one that only finds a date out of range is a WARN.
"""

# No `from __future__ import annotations`: Dagster reads the `context` annotation at runtime.
from collections.abc import Iterator
from typing import TYPE_CHECKING

import dagster as dg

from orchestration.assets.publish import MARTS_FILE_KEY
from orchestration.resources import WarehouseResource
from sotevault.marts import MARTS

if TYPE_CHECKING:
    # Great Expectations takes seconds to import: only the check's own step loads it, not every
    # process that loads the definitions (the fixed cost of a run, docs/benchmarks.md).
    from sotevault.expectations import MartValidation


def check_name(mart: str) -> str:
    return f"ge_{mart}"


def _failures_markdown(validation: "MartValidation") -> str:
    lines: list[str] = []
    for failure in validation.failures:
        lines.append(f"- {failure.headline}")
        lines.extend(f"  - `{example}`" for example in failure.examples)
    return "\n".join(lines) or "none"


def _check_result(validation: "MartValidation", data_docs: str) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=MARTS_FILE_KEY,
        check_name=check_name(validation.mart),
        passed=validation.success,
        # Dagster's default, ERROR, unless every failure is only a warning.
        severity=dg.AssetCheckSeverity.WARN
        if validation.failures and not validation.critical
        else dg.AssetCheckSeverity.ERROR,
        description=f"{validation.passed} expectations passed, {validation.failed} failed",
        metadata={
            "rows": validation.rows,
            "expectations_passed": validation.passed,
            "expectations_failed": validation.failed,
            "failed_expectations": dg.MetadataValue.md(_failures_markdown(validation)),
            "data_docs": dg.MetadataValue.path(data_docs),
        },
    )


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            name=check_name(mart),
            asset=MARTS_FILE_KEY,
            blocking=False,
            description=f"Great Expectations suite of {mart}: ranges, grain, roll-ups, no missing months.",
        )
        for mart in MARTS
    ],
    can_subset=True,
    compute_kind="great_expectations",
)
def mart_expectations(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.AssetCheckResult]:
    from sotevault.expectations import render_data_docs, run_mart_suites

    selected = {key.name for key in context.selected_asset_check_keys}
    marts = [mart for mart in MARTS if check_name(mart) in selected]
    data_dir = warehouse.paths.data_dir
    validations = run_mart_suites(data_dir, marts)
    data_docs = str(render_data_docs(data_dir))
    for mart in marts:
        context.log.info(validations[mart].summary())
        yield _check_result(validations[mart], data_docs)


MART_EXPECTATION_CHECKS = [mart_expectations]
