"""Run the floor or the peer shape on a copy of the warehouse, in a process of its own.

    python bench/floor_cli.py --warehouse COPY --reference OURS --batch-from W --batch-to B --shape floor

Prints one JSON object: seconds per step, rows inserted per table, and (floor) the rows that
differ from ours per table. Its own process, so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor import VAULT_SCHEMA, HandLoad, columns_of, compare, vault_models

TARGET = Path(__file__).resolve().parents[1] / "dbt_project" / "target"


def counts(con: duckdb.DuckDBPyConnection, catalog: str, tables: list[str], after: int) -> dict[str, int]:
    return {
        t: int(
            con.execute(
                f"select count(*) from {catalog}.{VAULT_SCHEMA}.{t} where load_batch > {after}"
            ).fetchall()[0][0]
        )
        for t in tables
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warehouse", required=True)
    parser.add_argument("--reference", required=True, help="ours, built by dbt (read only)")
    parser.add_argument("--batch-from", type=int, required=True)
    parser.add_argument("--batch-to", type=int, required=True)
    parser.add_argument("--shape", choices=("floor", "peer"), default="floor")
    parser.add_argument(
        "--settings", default="", help="DuckDB settings, 'name=value;…' as in the dbt profile"
    )
    parser.add_argument("--compiled", default=str(TARGET / "compiled"), help="dbt's compiled models")
    args = parser.parse_args()

    models = vault_models(TARGET / "manifest.json")
    ref = duckdb.connect(args.reference, read_only=True)
    columns = {m.name: columns_of(ref, VAULT_SCHEMA, m.name) for m in models}
    ref.close()

    con = duckdb.connect(args.warehouse)
    for setting in filter(None, args.settings.split(";")):
        name, value = setting.split("=", 1)
        con.execute(f"set {name} = '{value}'")
    started = time.perf_counter()
    load = HandLoad(con, models, columns, Path(args.compiled))
    seconds = load.run(args.batch_from, args.batch_to, args.shape)
    # Durability is part of the load: ours pays it in each model's COMMIT (DuckDB checkpoints
    # there once its log is large enough), the floor here.
    checkpoint_started = time.perf_counter()
    con.execute("checkpoint")
    seconds["checkpoint"] = time.perf_counter() - checkpoint_started
    total = time.perf_counter() - started
    con.execute(f"attach '{args.reference}' as ours (read_only)")
    loaded = [m.name for m in models if args.shape == "floor" or m.is_sat]
    catalog = con.execute("select current_database()").fetchall()[0][0]
    result = {
        "shape": args.shape,
        "seconds": seconds,
        "model_seconds": load.model_seconds,
        "total": total,
        "rows": counts(con, catalog, loaded, args.batch_from),
        "ours_rows": counts(con, "ours", loaded, args.batch_from),
        "differing_rows": compare(con, "ours", catalog, loaded) if args.shape == "floor" else {},
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    con.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
