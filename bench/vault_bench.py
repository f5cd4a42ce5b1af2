"""The vault load benchmark: backfill and daily increment, ours beside the floor and the peer shape.

For each scenario: generate the county (cached by its parameters), hold back the last day's
files, then
- **backfill**: ingest the history (`sotevault run --ingest-only`), build the seeds and compile
  the staging models, copy the warehouse twice, run `sotevault run` (ours) and on the copies the hand-written
  floor (twice) and the peer shape (bench/floor.py) for the same batches;
- **increment**: land the held-back day, ingest it, then three rounds of ours and the floor in
  turns (ours each time on a fresh copy of the ingested data directory), and the peer.
Ours is split from the dbt log (bench/dbt_log.py) and Dagster's step timings: fixed start-up,
ingestion, dbt overhead, vault SQL, other model SQL, data tests, publication. Each run's peak
RSS is that of its largest process. Results go to bench/results/<scenario>.json;
`python bench/report.py` turns them into docs/benchmarks.md.

    python bench/vault_bench.py y1 y10 s10      # make bench
    python bench/vault_bench.py guard            # the small run the CI guard uses
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from dbt_log import InvocationSplit, newest_log, parse  # noqa: E402

BIN = Path(sys.executable).parent
RESULTS = BENCH / "results"
FAMILY = {"hubs": "hubs", "links": "links", "sats": "satellites"}


@dataclass(frozen=True)
class Scenario:
    label: str
    scale: float
    start: str
    days: int
    keep_from: str | None = None  # only files stamped on or after this day (a shorter history)
    seed: int = 2024

    @property
    def cache_name(self) -> str:
        return f"landing-seed{self.seed}-scale{self.scale}-{self.start}-{self.days}d"

    @property
    def last_day(self) -> date:
        return date.fromisoformat(self.start) + timedelta(days=self.days - 1)


SCENARIOS = {
    # The same ten-year county twice: its last year, and all ten years. The increment is the
    # same day of files in both, so the two compare the same batch into 1 and 10 years.
    "y1": Scenario("1 year, scale 1.0", 1.0, "2015-01-01", 3653, keep_from="2024-01-01"),
    "y10": Scenario("10 years, scale 1.0", 1.0, "2015-01-01", 3653),
    "s10": Scenario("1 year, scale 10", 10.0, "2024-01-01", 366),
    # The CI guard: a small county, its last year and all of it.
    "guard1": Scenario("guard: 1 year, scale 0.05", 0.05, "2020-01-01", 1827, keep_from="2024-01-01"),
    "guard5": Scenario("guard: 5 years, scale 0.05", 0.05, "2020-01-01", 1827),
}

_STAMP = re.compile(r"_(\d{4})-?(\d{2})?-?(\d{2})?(?:T\d+Z)?(?:_v\d+)?\.\w+$")
# Files a shorter history keeps whatever their date: the population tables and the cost
# centre register (a year's figures need the register and population in force).
_ALWAYS = ("vaesto", "kustannuspaikat")


def stamp(name: str) -> date | None:
    """The day a landed file is stamped with (a month or year file: its first day)."""
    match = _STAMP.search(name)
    if not match:
        return None
    year, month, day = match.groups()
    return date(int(year), int(month or 1), int(day or 1))


def generated(s: Scenario, cache: Path) -> Path:
    landing = cache / s.cache_name
    if not (landing / ".generated").exists():
        shutil.rmtree(landing, ignore_errors=True)
        started = time.perf_counter()
        cli(
            "generate",
            "--landing",
            str(landing),
            "--seed",
            str(s.seed),
            "--start",
            s.start,
            "--days",
            str(s.days),
            "--scale",
            str(s.scale),
        )
        (landing / ".generated").write_text(f"{time.perf_counter() - started:.1f}\n")
        print(f"  generated {s.cache_name} in {time.perf_counter() - started:.0f} s", flush=True)
    return landing


def split_landing(s: Scenario, source: Path, landing: Path, held: Path) -> None:
    """Hard-link the scenario's files: history into `landing`, the last day into `held`."""
    keep_from = date.fromisoformat(s.keep_from) if s.keep_from else None
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        day = stamp(path.name)
        if keep_from and day is not None and day < keep_from and not path.name.startswith(_ALWAYS):
            continue
        late = day is not None and day >= s.last_day and path.parent.name in ("aptj_a", "aptj_b", "sos")
        target = (held if late else landing) / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)


def cli(*args: str) -> None:
    subprocess.run([str(BIN / "sotevault"), *args], check=True, stdout=subprocess.DEVNULL)


def measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run a command under a small parent of its own: wall seconds, the peak RSS (MiB) of its
    largest process (RUSAGE_CHILDREN covers every descendant waited for), its stdout."""
    probe = (
        "import resource, subprocess, sys; "
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, text=True); "
        "sys.stdout.write(done.stdout); "
        "print('\\nRSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
        "sys.exit(done.returncode)"
    )
    # Each measured run starts with nothing left to write back: the copies made just before (three
    # of a 10 GB warehouse at ten years) were otherwise flushed during the run, and cost the
    # run's start-up ~2 s (6.4 s to Dagster's first event against 4.4 s after a sync).
    os.sync()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, env=env or os.environ.copy()
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    out, _, rss = done.stdout.rpartition("\nRSS ")
    return wall, int(rss) / 1024, out


def max_batch(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return int(con.execute("select coalesce(max(batch_id), 0) from audit.load_files").fetchall()[0][0])
    finally:
        con.close()


def raw_rows(warehouse: Path, after: int) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        query = "select coalesce(sum(rows_loaded), 0) from audit.load_files where batch_id > ?"
        return int(con.execute(query, [after]).fetchall()[0][0])
    finally:
        con.close()


def inserted_by_family(warehouse: Path, after: int) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "select table_name from information_schema.tables where table_schema = 'vault' "
            "and table_name not like '%__current'"
        ).fetchall()
        out: dict[str, int] = {}
        for (table,) in rows:
            family = "hubs" if table.startswith("hub_") else "satellites" if "sat_" in table else "links"
            n = con.execute(f"select count(*) from vault.{table} where load_batch > ?", [after]).fetchall()[
                0
            ][0]
            out[family] = out.get(family, 0) + int(n)
        return out
    finally:
        con.close()


def dagster_steps(dagster_home: Path) -> dict[str, float]:
    """Seconds per step of the newest run, and the run's own start-to-end time."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        run = instance.get_runs(limit=1)[0]
        stats = instance.get_run_stats(run.run_id)
        steps = {
            s.step_key: (s.end_time or 0) - (s.start_time or 0)
            for s in instance.get_run_step_stats(run.run_id)
        }
        steps["__run__"] = (stats.end_time or 0) - (stats.launch_time or stats.start_time or 0)
        return steps


def family_of_models() -> dict[str, str]:
    from floor import vault_models

    out = {m.name: FAMILY[m.family] for m in vault_models(REPO / "dbt_project" / "target" / "manifest.json")}
    return out


def prepare_dbt_relations(data: Path) -> None:
    """Seeds, and the staging models compiled: the floor stages with their SQL (bench/floor.py)."""
    env = {**os.environ, "SOTEVAULT_DATA_DIR": str(data)}
    for args in (["seed"], ["run", "--select", "staging"]):
        subprocess.run(
            [str(BIN / "dbt"), *args, "--profiles-dir", ".", "--quiet"],
            cwd=REPO / "dbt_project",
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def build_vault(data: Path, target: Path) -> InvocationSplit:
    """Seeds, staging and the raw vault built by dbt as a run does (no tests), in a target
    directory of its own; where the invocation's time went, from its debug log."""
    shutil.rmtree(target, ignore_errors=True)
    env = {
        **os.environ,
        "SOTEVAULT_DATA_DIR": str(data),
        "DBT_LOG_FORMAT_FILE": "json",
        "DBT_LOG_LEVEL_FILE": "debug",
    }
    command = [
        str(BIN / "dbt"),
        "build",
        "--profiles-dir",
        ".",
        "--target-path",
        str(target),
        "--log-path",
        str(target),
        "--select",
        "resource_type:seed",
        "staging",
        "raw_vault",
        "--exclude-resource-type",
        "test",
        "--quiet",
    ]
    subprocess.run(command, cwd=REPO / "dbt_project", env=env, check=True, stdout=subprocess.DEVNULL)
    return parse(target / "dbt.log")


def copy_warehouse(data: Path, target_dir: Path) -> Path:
    shutil.rmtree(target_dir, ignore_errors=True)
    target_dir.mkdir(parents=True)
    target = target_dir / "warehouse.duckdb"
    shutil.copyfile(data / "warehouse.duckdb", target)
    return target


def hand(
    shape: str, copy: Path, ours: Path, batch_from: int, batch_to: int, compiled: Path | None = None
) -> dict[str, Any]:
    wall, rss, out = measured(
        [
            sys.executable,
            str(BENCH / "floor_cli.py"),
            "--warehouse",
            str(copy),
            "--reference",
            str(ours),
            "--batch-from",
            str(batch_from),
            "--batch-to",
            str(batch_to),
            "--shape",
            shape,
            "--settings",
            # The dbt profile's settings, memory limit included: the same engine for both.
            "TimeZone=UTC;preserve_insertion_order=false;memory_limit="
            + os.environ.get("SOTEVAULT_DUCKDB_MEMORY_LIMIT", "3GB"),
            *(["--compiled", str(compiled)] if compiled else []),
        ]
    )
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["wall"], result["peak_rss_mib"] = wall, rss
    shutil.rmtree(copy.parent, ignore_errors=True)
    return result


# The machine's speed drifts by ±15 % over minutes (the same floor measured 20.4–23.4 s within a
# quarter of an hour, the same increment of ours 1.2–1.6 s of vault SQL within five minutes), so
# ours and the floor are measured in turns, each run on its own copy of the warehouse:
# - backfill: ours once, then the floor twice;
# - increment (seconds each, where drift weighs most): three rounds of ours then the floor, ours
#   each time on a fresh copy of the data directory as ingestion left it.
# ours / floor compares the two means; the report shows each side's spread.
FLOOR_RUNS = 2
INCREMENT_ROUNDS = 3


def mean_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The floor's runs as one: seconds per step and total averaged; rows and differences summed
    over the runs' differences (each run is compared with ours: any difference shows)."""
    steps = sorted({k for r in runs for k in r["seconds"]})
    out = dict(runs[0])
    out["seconds"] = {k: sum(r["seconds"].get(k, 0.0) for r in runs) / len(runs) for k in steps}
    out["total"] = sum(r["total"] for r in runs) / len(runs)
    out["differing_rows"] = {
        t: sum(r["differing_rows"].get(t, 0) for r in runs) for t in runs[0]["differing_rows"]
    }
    out["peak_rss_mib"] = max(r["peak_rss_mib"] for r in runs)
    out["wall"] = sum(r["wall"] for r in runs) / len(runs)
    return out


def mean_ours(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Ours' runs as one: every figure averaged (per family, per step too), the peak the largest."""
    out: dict[str, Any] = {}
    for key, value in runs[0].items():
        if isinstance(value, dict):
            out[key] = {k: sum(r[key].get(k, 0.0) for r in runs) / len(runs) for k in value}
        else:
            out[key] = sum(r[key] for r in runs) / len(runs)
    out["peak_rss_mib"] = max(r["peak_rss_mib"] for r in runs)
    return out


def ours(args: list[str], data: Path) -> dict[str, Any]:
    """`sotevault run` on the ingested batches: its wall, peak and where the time went."""
    started = time.time()
    wall, rss, _ = measured([str(BIN / "sotevault"), *args])
    split = parse(newest_log(REPO / "dbt_project" / "target", started))
    steps = dagster_steps(data / "dagster")
    dbt_step = next(v for k, v in steps.items() if "dbt" in k)
    step_total = sum(v for k, v in steps.items() if k != "__run__")
    return {
        "wall": wall,
        "peak_rss_mib": rss,
        "fixed": wall - step_total,
        "dbt_step": dbt_step,
        "dbt_startup": dbt_step - split.elapsed + split.startup,
        "dbt_overhead": split.overhead + (dbt_step - split.elapsed),
        "vault_sql": split.vault_sql,
        "staging_sql": sum(n.sql_seconds for n in split.nodes.values() if n.folder == "staging"),
        "family_sql": split.family_sql(family_of_models()),
        "other_sql": split.other_sql,
        "tests": split.tests,
        "other_steps": step_total - dbt_step,
        "steps": steps,
    }


def restore(snapshot: Path, data: Path) -> None:
    shutil.rmtree(data)
    shutil.copytree(snapshot, data)


def phase(name: str, work: Path, landing: Path, first: bool, hand_written: bool = True) -> dict[str, Any]:
    data = work / "data"
    warehouse = data / "warehouse.duckdb"
    batch_from = max_batch(warehouse) if warehouse.exists() else 0
    args = ["run", "--landing", str(landing), "--data-dir", str(data)]
    print(f"  {name}: ingest", flush=True)
    ingest_wall, ingest_rss, _ = measured([str(BIN / "sotevault"), *args, "--ingest-only"])
    batch_to = max_batch(warehouse)
    if first:
        prepare_dbt_relations(data)
    rounds, floors_per_round = (1, FLOOR_RUNS) if first or not hand_written else (INCREMENT_ROUNDS, 1)
    snapshot = work / "ingested"
    if rounds > 1:
        shutil.rmtree(snapshot, ignore_errors=True)
        shutil.copytree(data, snapshot)
    ours_runs: list[dict[str, Any]] = []
    floor_runs: list[dict[str, Any]] = []
    peer = None
    for round_ in range(rounds):
        if round_:
            restore(snapshot, data)
        floor_copies = (
            [copy_warehouse(data, work / f"floor{i}") for i in range(floors_per_round)]
            if hand_written
            else []
        )
        peer_copy = copy_warehouse(data, work / "peer") if hand_written and round_ == rounds - 1 else None
        print(f"  {name}: ours (sotevault run)", flush=True)
        ours_runs.append(ours(args, data))
        print(
            f"  {name}: ours {ours_runs[-1]['wall']:.1f} s (vault SQL {ours_runs[-1]['vault_sql']:.2f} s)",
            flush=True,
        )
        for copy in floor_copies:
            floor_runs.append(hand("floor", copy, warehouse, batch_from, batch_to))
            print(
                f"  {name}: floor {floor_runs[-1]['total']:.2f} s, "
                f"differing rows {sum(floor_runs[-1]['differing_rows'].values())}",
                flush=True,
            )
        if peer_copy is not None:
            print(f"  {name}: peer", flush=True)
            peer = hand("peer", peer_copy, warehouse, batch_from, batch_to)
    shutil.rmtree(snapshot, ignore_errors=True)
    return {
        "raw_rows": raw_rows(warehouse, batch_from),
        "batches": [batch_from, batch_to],
        "inserted": inserted_by_family(warehouse, batch_from),
        "ingest": {"wall": ingest_wall, "peak_rss_mib": ingest_rss},
        "ours": mean_ours(ours_runs),
        "ours_runs": ours_runs,
        "floor": mean_run(floor_runs) if floor_runs else None,
        "floor_runs": floor_runs,
        "peer": peer,
    }


def versions() -> dict[str, str]:
    from importlib.metadata import version

    return {p: version(p) for p in ("duckdb", "dbt-core", "dbt-duckdb", "dagster", "dagster-dbt")}


def machine() -> dict[str, Any]:
    mem = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(mem / 1024 / 1024, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def run_scenario(
    key: str, work_root: Path, cache: Path, hand_written: bool = True, keep_work: bool = False
) -> dict[str, Any]:
    s = SCENARIOS[key]
    print(f"{key}: {s.label}", flush=True)
    source = generated(s, cache)
    work = work_root / key
    shutil.rmtree(work, ignore_errors=True)
    landing, held = work / "landing", work / "held"
    split_landing(s, source, landing, held)
    os.environ.setdefault("SOTEVAULT_PSEUDONYM_KEY", "benchmark-key")
    backfill = phase("backfill", work, landing, first=True, hand_written=hand_written)
    shutil.copytree(held, landing, dirs_exist_ok=True, copy_function=os.link)
    increment = phase("increment", work, landing, first=False, hand_written=hand_written)
    result = {
        "scenario": key,
        **asdict(s),
        "measured_at": datetime.now().isoformat(timespec="minutes"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
        ).stdout.strip(),
        "machine": machine(),
        "versions": versions(),
        "command": "python bench/vault_bench.py " + key + ("" if hand_written else " --ours-only"),
        "backfill": backfill,
        "increment": increment,
    }
    if keep_work:
        print(f"  kept {work} (the warehouse after the increment: {work / 'data'})", flush=True)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("scenarios", nargs="+", choices=sorted(SCENARIOS))
    parser.add_argument("--work", default="/tmp/sotevault-bench/work")
    parser.add_argument("--cache", default="/tmp/sotevault-bench/cache")
    parser.add_argument("--results", default=str(RESULTS))
    parser.add_argument(
        "--ours-only", action="store_true", help="skip the floor and the peer shape (time and memory of ours)"
    )
    parser.add_argument(
        "--keep-work", action="store_true", help="keep each scenario's work directory (its warehouse)"
    )
    args = parser.parse_args()
    Path(args.results).mkdir(parents=True, exist_ok=True)
    for key in args.scenarios:
        result = run_scenario(
            key, Path(args.work), Path(args.cache), hand_written=not args.ours_only, keep_work=args.keep_work
        )
        out = Path(args.results) / f"{key}.json"
        out.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
        print(f"  -> {out}", flush=True)


if __name__ == "__main__":
    main()
