"""The Dagster definitions: the whole lineage, the schedule and the landing sensor."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import pytest
import sqlalchemy

from orchestration.dbt_project import DBT_EXECUTABLE, dbt_project
from orchestration.dbt_resource import SotevaultDbtResource
from orchestration.resources import WarehouseResource
from orchestration.schedules import daily_load
from orchestration.sensors import landing_sensor
from sotevault.cli import main
from sotevault.dagster_storage import PooledSqliteEventLogStorage
from sotevault.dbt_sources import MANIFEST_PATH, manifest_is_current
from sotevault.instance import write_instance_config

from .conftest import LoadedCounty

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


def test_run_is_kept_in_the_data_directorys_dagster_instance(county: LoadedCounty) -> None:
    """`sotevault run` records its run in DATA_DIR/dagster through the pooled event log, readable
    by a fresh instance (what `make dev` opens) with Dagster's own queries."""
    assert county.exit_code == 0
    dagster_home = county.data_dir / "dagster"
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        # The fixture's run is the first (other tests may run the county again).
        run = instance.get_runs()[-1]
        assert run.status == dg.DagsterRunStatus.SUCCESS
        stored = instance.all_logs(run.run_id)
        materialized = {
            e.dagster_event.asset_key.to_user_string()
            for e in stored
            if e.dagster_event is not None
            and e.dagster_event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION
            and e.dagster_event.asset_key is not None
        }
        expected = {"raw/aptj_a", "vault/hub_visit", "marts/mart_care_guarantee", "publication/exports"}
        assert expected <= materialized
        # Every asset the run planned was stored as materialized, every planned check as
        # evaluated — each dbt test of the manifest among them, once.
        planned_assets = events_of(stored, dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED)
        assert materialized == {k.to_user_string() for k in planned_assets}
        planned = events_of(stored, dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED)
        evaluated = events_of(stored, dg.DagsterEventType.ASSET_CHECK_EVALUATION)
        assert Counter(evaluated) == Counter(planned)
        manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
        dbt_tests = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "test"}
        assert dbt_tests <= {name for _, name in evaluated}
        # The cross-run index (the UI's asset pages) has them too.
        latest = instance.get_latest_materialization_event(dg.AssetKey(["vault", "hub_visit"]))
        assert latest is not None and latest.run_id == run.run_id
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey(list(evaluated[0][0].path)), evaluated[0][1])]
        )
        assert len(check) == 1


def test_every_run_accounts_for_each_model_in_audit_model_runs(county: LoadedCounty) -> None:
    """audit.model_runs: one row per model and seed the run's dbt build ran, under the run's
    Dagster id, with the rows a vault model inserted (its watermark) and each table's rows."""
    assert county.exit_code == 0
    with dg.DagsterInstance.from_config(str(county.data_dir / "dagster")) as instance:
        run_id = instance.get_runs()[-1].run_id
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    built = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")}
    with duckdb.connect(str(county.data_dir / "warehouse.duckdb"), read_only=True) as con:
        recorded = con.execute(
            "select model, resource_type, materialization, status, rows_inserted, rows_total,"
            " invocation_id from audit.model_runs where run_id = ?",
            [run_id],
        ).fetchall()
        assert sorted(row[0] for row in recorded) == sorted(built)
        invocations = {row[6] for row in recorded}
        assert len(invocations) == 1
        watermarks = dict(
            con.execute(
                "select model, rows_inserted from audit.vault_watermarks where invocation_id = ?",
                [invocations.pop()],
            ).fetchall()
        )
        assert watermarks, "the vault models recorded no watermark"
        for model, resource_type, materialization, status, inserted, total, _ in recorded:
            node = built[model]
            assert (resource_type, materialization, status) == (
                node["resource_type"],
                node["config"]["materialized"],
                "success",
            )
            if node["schema"] == "staging" or materialization == "view":
                assert total is None  # staging lives in the invocation's in-memory database
                continue
            rows = con.execute(f'select count(*) from "{node["schema"]}"."{node["alias"]}"').fetchone()
            assert rows is not None and total == rows[0], model
            if model in watermarks:
                assert inserted == watermarks[model] and inserted <= total, model
            elif materialization in ("table", "seed"):
                assert inserted == total, model
    assert any(row[0].startswith("sat_") and row[4] for row in recorded), "no satellite row counted"


def events_of(stored: Sequence[dg.EventLogEntry], event_type: dg.DagsterEventType) -> list[Any]:
    """A run's events of one type: the asset key of a planned materialization, (asset key, check
    name) of a planned or evaluated check."""
    found: list[Any] = []
    for entry in stored:
        event = entry.dagster_event
        if event is None or event.event_type != event_type:
            continue
        if event_type == dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED:
            found.append(event.asset_key)
        else:
            data = event.event_specific_data
            found.append((data.asset_key, data.check_name))  # type: ignore[union-attr]
    return found


def test_the_event_log_answers_which_tables_exist_from_its_pooled_index(tmp_path: Path) -> None:
    """Dagster asks `has_table` before many writes; the pooled log answers from its index
    connection, remembers a table once found and asks again about one it did not find."""
    storage = PooledSqliteEventLogStorage(str(tmp_path))
    try:
        assert storage.has_table("asset_check_executions")
        assert not storage.has_table("sotevault_probe")
        with storage.index_connection() as conn:
            conn.execute(sqlalchemy.text("create table sotevault_probe (x integer)"))
        assert storage.has_table("sotevault_probe")
    finally:
        storage.dispose()


PLANNED = (
    dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED,
    dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED,
)


def test_the_event_log_stores_a_batch_as_it_stores_its_events_one_by_one(
    county: LoadedCounty, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run's planned events stored as one batch (one transaction per file) read back exactly
    as the same events stored one by one, in the run's log and in the cross-run index; a batch
    that fails part-way keeps nothing of itself."""
    with dg.DagsterInstance.from_config(str(county.data_dir / "dagster")) as instance:
        run_id = instance.get_runs()[-1].run_id
        planned = [
            r.event_log_entry
            for r in instance.get_records_for_run(run_id, of_type=set(PLANNED), limit=100_000).records
        ]
    assert len(planned) > 100
    checks_planned = [
        e.get_dagster_event().asset_check_planned_data for e in planned if e.dagster_event_type == PLANNED[1]
    ]
    check_keys = sorted({dg.AssetCheckKey(c.asset_key, c.check_name) for c in checks_planned}, key=str)
    assert check_keys

    def stored(directory: Path, batch: bool) -> tuple[Any, ...]:
        storage = PooledSqliteEventLogStorage(str(directory))
        try:
            if batch:
                storage.store_event_batch(planned)
            else:
                for event in planned:
                    storage.store_event(event)
            log = [(r.storage_id, r.event_log_entry) for r in storage.get_records_for_run(run_id).records]
            index = [
                (r.storage_id, r.event_log_entry)
                for r in storage.get_event_records(dg.EventRecordsFilter(PLANNED[0]), limit=100_000)
            ]
            checks = [
                [(c.run_id, c.status) for c in storage.get_asset_check_execution_history(key, limit=5)]
                for key in check_keys
            ]
            return log, index, checks
        finally:
            storage.dispose()

    one_by_one = stored(tmp_path / "one", batch=False)
    assert len(one_by_one[0]) == len(planned) and one_by_one[1] and all(one_by_one[2])
    assert stored(tmp_path / "batch", batch=True) == one_by_one

    # Part-way through, the index refuses an event: the batch leaves no trace.
    calls = {"n": 0}
    store_asset_event = PooledSqliteEventLogStorage._store_asset_event

    def failing(self: PooledSqliteEventLogStorage, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 20:
            raise sqlalchemy.exc.OperationalError("insert", {}, Exception("disk full"))
        return store_asset_event(self, *args, **kwargs)

    monkeypatch.setattr(PooledSqliteEventLogStorage, "_store_asset_event", failing)
    storage = PooledSqliteEventLogStorage(str(tmp_path / "failed"))
    try:
        with pytest.raises(sqlalchemy.exc.OperationalError):
            storage.store_event_batch(planned)
        assert storage.get_records_for_run(run_id).records == []
        assert storage.get_event_records(dg.EventRecordsFilter(PLANNED[0]), limit=10) == []
        storage.store_event(planned[0])  # the storage is usable afterwards
        assert len(storage.get_records_for_run(run_id).records) == 1
    finally:
        storage.dispose()


def test_instance_config_is_rewritten_unless_an_operator_owns_it(tmp_path: Path) -> None:
    write_instance_config(tmp_path)
    config = tmp_path / "dagster.yaml"
    ours = config.read_text(encoding="utf-8")
    assert "PooledSqliteEventLogStorage" in ours and str(tmp_path / "history" / "runs") in ours
    # An older file of ours (say, from before the pooled event log) is brought up to date...
    config.write_text("# Written by sotevault: old\ntelemetry:\n  enabled: false\n", encoding="utf-8")
    write_instance_config(tmp_path)
    assert config.read_text(encoding="utf-8") == ours
    # ...an operator's own is left alone.
    config.write_text("run_monitoring:\n  enabled: true\n", encoding="utf-8")
    write_instance_config(tmp_path)
    assert config.read_text(encoding="utf-8") == "run_monitoring:\n  enabled: true\n"


def test_dbt_resource_reports_the_version_of_the_dbt_it_runs() -> None:
    """The resource reads dbt's version from the package instead of running `dbt --version`."""
    output = subprocess.run([DBT_EXECUTABLE, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"installed:\s*(\d+\.\d+\.\d+)", output)
    assert match is not None, output
    resource = SotevaultDbtResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)
    assert str(resource._cli_version) == match.group(1)


def test_the_manifest_is_found_without_dagster_dbt() -> None:
    """`sotevault run` checks the manifest before it imports dagster-dbt (sotevault/dbt_sources.py):
    the same file dagster-dbt loads, current once the session's set-up has parsed the project."""
    assert dbt_project.manifest_path == MANIFEST_PATH
    assert manifest_is_current()


# Prints the asset graph of the definitions as JSON, with dbt-core hidden first when asked to.
ASSET_GRAPH_SCRIPT = """
import json, sys
from sotevault.without_dbt_core import hide_dbt_core
if sys.argv[1] == "hidden":
    assert hide_dbt_core()
from orchestration.definitions import defs
from orchestration.jobs import JOB_NAME
graph = defs.resolve_asset_graph()
nodes = {}
for key in graph.get_all_asset_keys():
    node = graph.get(key)
    nodes[key.to_user_string()] = {
        "parents": sorted(p.to_user_string() for p in node.parent_keys),
        "group": node.group_name,
        "checks": sorted(c.to_user_string() for c in node.check_keys),
        "kinds": sorted(node.kinds),
        "tags": node.tags,
        "description": node.description,
        "metadata": sorted(node.metadata),
        "code_version": node.code_version,
    }
job = defs.resolve_job_def(JOB_NAME)
print(json.dumps({
    "nodes": nodes,
    "job": sorted(k.to_user_string() for k in job.asset_layer.executable_asset_keys),
    "dbt_core_imported": sys.modules.get("dbt") is not None,
}, sort_keys=True))
"""


def test_the_run_process_sees_the_same_assets_without_dbt_core(monkeypatch: pytest.MonkeyPatch) -> None:
    """`sotevault run` hides dbt-core from its own process (sotevault/without_dbt_core.py):
    dagster-dbt then defines dbt's types itself and selects from the manifest. Every asset, its
    parents, group, checks and metadata must be the same as with dbt-core imported."""
    monkeypatch.setenv("SOTEVAULT_DATA_DIR", "/tmp/unused")
    monkeypatch.setenv("SOTEVAULT_LANDING_DIR", "/tmp/unused")

    def graph(mode: str) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-c", ASSET_GRAPH_SCRIPT, mode], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    imported, hidden = graph("imported"), graph("hidden")
    assert imported.pop("dbt_core_imported") is True
    assert hidden.pop("dbt_core_imported") is False
    assert len(imported["nodes"]) > 80 and any(c for n in imported["nodes"].values() for c in n["checks"])
    assert hidden == imported


def test_sundays_and_the_full_check_read_every_row_and_hash_every_file(
    county: LoadedCounty, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The nightly data tests of the raw vault read the rows loaded since they passed
    (macros/tests/tested_rows.sql) and the raw steps hash the files whose stamp moved
    (sotevault/ingest/file_hashes.py); Sunday's scheduled run and `run --full-check` (alias
    `--test-all-rows`) read all."""
    from orchestration.assets.ingest import RAW_ASSETS
    from orchestration.definitions import defs

    # The resources read their directories from the environment, as `sotevault run` sets it.
    monkeypatch.setenv("SOTEVAULT_DATA_DIR", str(county.data_dir))
    monkeypatch.setenv("SOTEVAULT_LANDING_DIR", str(county.landing))
    job = defs.resolve_job_def("sotevault")
    helsinki = ZoneInfo("Europe/Helsinki")
    for day, full in (
        (datetime(2026, 11, 22, 5, 30, tzinfo=helsinki), True),
        (datetime(2026, 11, 23, 5, 30, tzinfo=helsinki), False),
    ):
        request = daily_load(dg.build_schedule_context(scheduled_execution_time=day))
        assert isinstance(request, dg.RunRequest)
        ops = request.run_config["ops"]
        assert ops["sotevault_dbt_assets"]["config"] == {"test_all_rows": full}
        assert [ops[raw.op.name]["config"] for raw in RAW_ASSETS] == [{"hash_every_file": full}] * 8
        assert dg.validate_run_config(job, request.run_config)

    # The session's run recorded what its raw-vault tests passed on; a run that reads every
    # row records nothing (no test read a part), and still passes.
    data_dir = tmp_path / "data"
    shutil.copytree(county.data_dir, data_dir)
    monkeypatch.setenv("SOTEVAULT_PSEUDONYM_KEY", "integration-test-key")
    recorded = "select count(distinct invocation_id), count(*) from audit.tested_batches"
    with county.connect() as con:
        invocations, tests = con.execute(recorded).fetchall()[0]
    assert invocations >= 1 and tests > 50
    args = ["run", "--landing", str(county.landing), "--data-dir", str(data_dir), "--test-all-rows"]
    assert main(args) == 0
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute(recorded).fetchall()[0] == (invocations, tests)
    # An ingest-only full check configures the raw steps alone (there is no dbt step to set).
    assert main([*args[:-1], "--full-check", "--ingest-only"]) == 0
