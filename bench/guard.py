"""The regression guard CI can afford: vault-load *ratios* on a small county, not times.

For a short and a long history of the same small county (the same last day of files): ingest
the history, build the vault with dbt (staging and raw vault only, as a run does), ingest the
last day, then load it from the same starting point by dbt's models (ours) and by the
hand-written floor (bench/floor.py) on copies, each twice, alternated, keeping the faster of
each — and check that both give the same rows.
The guard's figures are two ratios: ours / floor on the increment, and the long history's
increment / the short one's (ours). tests/integration/test_bench_guard.py asserts them with
headroom (GUARD_LIMITS); `make bench-guard` prints them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from vault_bench import (  # noqa: E402
    BIN,
    SCENARIOS,
    build_vault,
    copy_warehouse,
    generated,
    hand,
    max_batch,
    split_landing,
)

# Measured on the 2-core machine on 2026-11-23: ours / floor 2.5, long / short 0.86–0.98. Given
# headroom: the small county's loads are dominated by per-statement costs, so the ratios are
# looser than make bench's targets; a load that does its work twice still shows.
GUARD_LIMITS = {"ours_over_floor": 3.0, "long_over_short": 1.5}
LOADS = 2  # each increment is loaded this many times by each side; the fastest counts


def ingest(landing: Path, data: Path) -> None:
    subprocess.run(
        [str(BIN / "sotevault"), "run", "--landing", str(landing), "--data-dir", str(data), "--ingest-only"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def dbt_vault(data: Path, target: Path) -> float:
    """Build seeds, staging and the raw vault (no tests); the vault SQL seconds of the build."""
    return build_vault(data, target).vault_sql


def history(key: str, work: Path, cache: Path) -> dict[str, Any]:
    s = SCENARIOS[key]
    source = generated(s, cache)
    root = work / key
    shutil.rmtree(root, ignore_errors=True)
    landing, held, data = root / "landing", root / "held", root / "data"
    split_landing(s, source, landing, held)
    ingest(landing, data)
    dbt_vault(data, root / "target")
    batch_from = max_batch(data / "warehouse.duckdb")
    shutil.copytree(held, landing, dirs_exist_ok=True, copy_function=os.link)
    ingest(landing, data)
    batch_to = max_batch(data / "warehouse.duckdb")
    # Each load twice from the same start, alternated, and the faster of each kept: on a shared
    # machine (CI runs tests in parallel) one load disturbed by the neighbours moved the ratio
    # by a third (ours / floor 3.05 under `pytest -n 2`, 2.39 alone, the same code).
    # Ours loads `data` first (the floor's rows are compared with it), then copies of the start.
    ours_dirs = [data, *(copy_warehouse(data, root / f"ours{i}").parent for i in range(1, LOADS))]
    floor_copies = [copy_warehouse(data, root / f"floor{i}") for i in range(LOADS)]
    ours, floors = [], []
    compiled = root / "target" / "compiled"
    for i, (ours_dir, floor_copy) in enumerate(zip(ours_dirs, floor_copies, strict=True)):
        ours.append(dbt_vault(ours_dir, root / ("target" if i == 0 else f"target{i}")))
        floors.append(hand("floor", floor_copy, data / "warehouse.duckdb", batch_from, batch_to, compiled))
    result = {
        "ours_vault_sql": min(ours),
        "floor": min(sum(f["seconds"].values()) for f in floors),
        "differing_rows": sum(sum(f["differing_rows"].values()) for f in floors),
    }
    shutil.rmtree(root, ignore_errors=True)
    return result


def measure(work: Path, cache: Path) -> dict[str, Any]:
    os.environ.setdefault("SOTEVAULT_PSEUDONYM_KEY", "benchmark-key")
    short, long = history("guard1", work, cache), history("guard5", work, cache)
    return {
        "short": short,
        "long": long,
        "ours_over_floor": max(
            short["ours_vault_sql"] / short["floor"], long["ours_vault_sql"] / long["floor"]
        ),
        "long_over_short": long["ours_vault_sql"] / short["ours_vault_sql"],
        "limits": GUARD_LIMITS,
    }


if __name__ == "__main__":
    figures = measure(Path("/tmp/sotevault-bench/guard"), Path("/tmp/sotevault-bench/cache"))
    print(json.dumps(figures, indent=1))
    failed = [k for k, limit in GUARD_LIMITS.items() if figures[k] > limit]
    sys.exit(1 if failed or figures["short"]["differing_rows"] or figures["long"]["differing_rows"] else 0)
