"""The Dagster definitions: the whole lineage, the schedule and the landing sensor."""

from __future__ import annotations

import json
import os
from pathlib import Path

import dagster as dg
import pytest

from orchestration.resources import WarehouseResource
from orchestration.sensors import landing_sensor

pytestmark = pytest.mark.integration


def test_lineage_runs_from_landed_files_to_published_marts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOTEVAULT_DATA_DIR", "/tmp/unused")
    monkeypatch.setenv("SOTEVAULT_LANDING_DIR", "/tmp/unused")
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()

    def parents(*path: str) -> set[str]:
        return {k.to_user_string() for k in graph.get(dg.AssetKey(list(path))).parent_keys}

    assert "landing/inventory" in parents("raw", "aptj_a")
    assert "raw/aptj_a" in parents("staging", "stg_aptj_a")
    assert "staging/stg_aptj_a" in parents("vault", "hub_visit")
    assert "marts/mart_care_guarantee" in parents("publication", "marts_duckdb")
    assert "exports/export_mart_unit_costs" in parents("publication", "exports")
    assert defs.resolve_job_def("sotevault") is not None
    schedule = defs.resolve_schedule_def("daily_load")
    assert schedule.execution_timezone == "Europe/Helsinki"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_landing_sensor_requests_a_run_for_new_and_changed_files(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    warehouse = WarehouseResource(data_dir=str(tmp_path / "data"), landing_dir=str(landing))
    _write(landing / "aptj_a" / "kaynnit_2024-03-05.csv", "a")

    def evaluate(cursor: str | None) -> dg.SensorResult:
        context = dg.build_sensor_context(cursor=cursor, resources={"warehouse": warehouse})
        result = landing_sensor(context)
        assert isinstance(result, dg.SensorResult)
        return result

    first = evaluate(None)
    assert len(first.run_requests or []) == 1
    assert first.cursor is not None
    assert json.loads(first.cursor) == {
        "aptj_a/kaynnit_2024-03-05.csv": (landing / "aptj_a" / "kaynnit_2024-03-05.csv").stat().st_mtime_ns
    }
    # Nothing new: no run.
    assert evaluate(first.cursor).run_requests == []
    # A late file whose name sorts before the others is new all the same.
    _write(landing / "aptj_a" / "kaynnit_2000-01-01.csv", "b")
    late = evaluate(first.cursor)
    assert len(late.run_requests or []) == 1
    # A partial upload is not a file yet.
    _write(landing / "aptj_a" / "kaynnit_2024-03-06.csv.part", "c")
    assert evaluate(late.cursor).run_requests == []
    # A file changed in place (the run will refuse it and alert).
    changed = landing / "aptj_a" / "kaynnit_2024-03-05.csv"
    os.utime(changed, ns=(changed.stat().st_atime_ns, changed.stat().st_mtime_ns + 1_000_000_000))
    assert len(evaluate(late.cursor).run_requests or []) == 1
