"""A sensor on the landing area: a run when files land or change, whatever their names."""

import json

import dagster as dg

from orchestration.jobs import sotevault_job
from orchestration.resources import WarehouseResource
from sources.registry import is_ignored


def landing_state(warehouse: WarehouseResource) -> dict[str, int]:
    """Every file under LANDING/<dir>/ with its modification time (ns): the sensor's cursor."""
    landing = warehouse.landing
    if not landing.is_dir():
        return {}
    return {
        str(path.relative_to(landing)): path.stat().st_mtime_ns
        for path in sorted(landing.glob("*/*"))
        if path.is_file() and not is_ignored(path)
    }


@dg.sensor(job=sotevault_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED)
def landing_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource) -> dg.SensorResult:
    """Requests a run when a file is new or its modification time changed since the last run
    (a changed file is then refused by the run, which is how the operator hears of it)."""
    seen: dict[str, int] = json.loads(context.cursor) if context.cursor else {}
    now = landing_state(warehouse)
    changed = sorted(name for name, mtime in now.items() if seen.get(name) != mtime)
    if not changed:
        return dg.SensorResult(run_requests=[], cursor=json.dumps(now, sort_keys=True))
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"landing-{max(now.values())}-{len(now)}",
                tags={"sotevault/new_files": str(len(changed))},
            )
        ],
        cursor=json.dumps(now, sort_keys=True),
    )
