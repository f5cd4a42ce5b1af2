"""The first incremental-load figure: one day of files into a vault holding a year of history.

Generates a county (scale 1.0, a year from 2024-01-01 by default), holds back the last day's
daily files, backfills the rest with `sotevault run`, then lands the last day and runs again.
Prints wall time and peak memory of both runs and, from `audit.model_runs`, rows inserted and
seconds per model family. Run: `make bench-increment` (or .venv/bin/python bench/increment.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

FAMILIES = """
    case when model like 'stg_%' then 'staging' when model like 'hub_%' then 'hubs'
         when model like 'link_%' or model like 'nhl_%' then 'links'
         when model like 'sat_%' or model like 'eff_sat_%' then 'satellites'
         when model like 'bv_%' then 'business vault' else 'seeds' end
"""


def sotevault(*args: str) -> tuple[float, int]:
    """Run the CLI under a small parent process of its own; wall time and that run's peak RSS
    (KiB): the parent's RUSAGE_CHILDREN then sees this run only."""
    cli = str(Path(sys.executable).parent / "sotevault")
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", probe, cli, *args], check=True, capture_output=True, text=True
    )
    return time.perf_counter() - started, int(done.stdout.strip().splitlines()[-1])


def family_table(warehouse: Path, run_index: int) -> list[tuple[str, int, int | None, float]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        runs = [
            r[0]
            for r in con.execute(
                "select run_id from audit.model_runs group by run_id order by min(finished_at)"
            ).fetchall()
        ]
        return con.execute(
            f"""select {FAMILIES} as family, count(*), sum(rows_inserted)::bigint, sum("seconds")
                from audit.model_runs where run_id = ? group by 1 order by 1""",
            [runs[run_index]],
        ).fetchall()
    finally:
        con.close()


def raw_rows(warehouse: Path, batch_after: int = 0) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return int(
            con.execute(
                "select coalesce(sum(rows_loaded), 0) from audit.load_files where batch_id > ?", [batch_after]
            ).fetchall()[0][0]
        )
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workdir", default="/tmp/sotevault-bench-increment")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=366)
    parser.add_argument("--start", default="2024-01-01")
    args = parser.parse_args()
    work = Path(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    landing, held, data = work / "landing", work / "held_back", work / "data"
    os.environ.setdefault("SOTEVAULT_PSEUDONYM_KEY", "benchmark-key")

    seconds, _ = sotevault(
        "generate",
        "--landing",
        str(landing),
        "--seed",
        "2024",
        "--start",
        args.start,
        "--days",
        str(args.days),
        "--scale",
        str(args.scale),
    )
    print(f"generated {args.days} days at scale {args.scale} in {seconds:.1f} s")
    last = date.fromisoformat(args.start) + timedelta(days=args.days - 1)
    for pattern in (
        f"aptj_a/kaynnit_{last}.csv",
        f"aptj_b/encounters_{last:%Y%m%d}T*.jsonl",
        f"sos/*_{last}.csv",
    ):
        for path in landing.glob(pattern):
            target = held / path.relative_to(landing)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)

    backfill, backfill_rss = sotevault("run", "--landing", str(landing), "--data-dir", str(data))
    history = raw_rows(data / "warehouse.duckdb")
    shutil.copytree(held, landing, dirs_exist_ok=True)
    increment, increment_rss = sotevault("run", "--landing", str(landing), "--data-dir", str(data))
    batch = raw_rows(data / "warehouse.duckdb") - history

    print(
        f"\nmachine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}, "
        f"duckdb {duckdb.__version__}"
    )
    print("\n| run | raw rows | wall (s) | peak RSS (MiB) |\n|---|---:|---:|---:|")
    print(f"| backfill (year less one day) | {history:,} | {backfill:.1f} | {backfill_rss / 1024:.0f} |")
    print(f"| one-day increment | {batch:,} | {increment:.1f} | {increment_rss / 1024:.0f} |")
    for label, index, rows in (("backfill", 0, history), ("one-day increment", 1, batch)):
        print(f"\n{label}: dbt models by family (seconds from audit.model_runs)\n")
        print("| family | models | rows inserted | seconds | raw rows/s |\n|---|---:|---:|---:|---:|")
        vault_seconds = 0.0
        for family, models, inserted, secs in family_table(data / "warehouse.duckdb", index):
            if family in ("hubs", "links", "satellites"):
                vault_seconds += secs
            print(f"| {family} | {models} | {inserted if inserted is not None else '—'} | {secs:.2f} | |")
        print(f"| **vault SQL (hubs+links+sats)** | | | {vault_seconds:.2f} | {rows / vault_seconds:,.0f} |")


if __name__ == "__main__":
    main()
