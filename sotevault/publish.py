"""Publishing what analysts and BI tools read, swapped in whole at the end of a good run.

- `DATA_DIR/marts.duckdb`: the marts (exact values) and the BI dimensions, queried as
  `marts.mart_care_guarantee` (the file's catalog) or plain `mart_care_guarantee`.
  DuckDB lets one process write a file and no other open it meanwhile, so analysts must not
  depend on the warehouse file: this copy is written beside the old one and renamed over it,
  so a reader sees the last good marts, whole, during a run and after a failed one (a session
  that has the old file open keeps reading it).
- `DATA_DIR/exports/<mart>/`: Parquet from the `exports` views (small cells suppressed),
  hive-partitioned by year, with `exports/manifest.json`. Built in a new directory and
  swapped in with two renames.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from sotevault.marts import MARTS
from sotevault.paths import DataPaths

EXPORT_SCHEMA = "exports"
MARTS_SCHEMA = "marts"
# In the published file the marts sit in its default schema: opened as marts.duckdb its
# catalog is `marts`, so `marts.mart_care_guarantee` and `mart_care_guarantee` both work.
PUBLISHED_SCHEMA = "main"


@dataclass(frozen=True)
class Published:
    marts_file: Path
    exports_dir: Path
    rows: dict[str, int]


@contextmanager
def _warehouse_session(paths: DataPaths) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory session with the warehouse attached read-only (views resolve inside it):
    publishing never writes to the warehouse."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{paths.warehouse}' as warehouse (read_only)")
        con.execute("use warehouse")
        yield con
    finally:
        con.close()


def publish_marts_file(paths: DataPaths) -> Path:
    with _warehouse_session(paths) as con:
        return _publish_marts_file(con, paths)


def publish_exports(paths: DataPaths, built_at: datetime) -> dict[str, int]:
    with _warehouse_session(paths) as con:
        return _publish_exports(con, paths, built_at)


def publish(paths: DataPaths, built_at: datetime) -> Published:
    """Write marts.duckdb and the exports from the warehouse, then swap both in."""
    return Published(publish_marts_file(paths), paths.exports, publish_exports(paths, built_at))


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'warehouse' and table_schema = ? and table_type = 'BASE TABLE' order by 1",
            [schema],
        ).fetchall()
    ]


def _publish_marts_file(con: duckdb.DuckDBPyConnection, paths: DataPaths) -> Path:
    target = paths.marts_file
    fresh = target.with_name(target.name + ".new")
    fresh.unlink(missing_ok=True)
    con.execute(f"attach '{fresh}' as published")
    try:
        for table in _tables(con, MARTS_SCHEMA):
            con.execute(
                f"create table published.{PUBLISHED_SCHEMA}.{table} as "
                f"select * from warehouse.{MARTS_SCHEMA}.{table}"
            )
    finally:
        con.execute("use warehouse")
        con.execute("detach published")
    fresh.replace(target)  # atomic rename: a reader opens either the old file or the new one
    return target


def _publish_exports(con: duckdb.DuckDBPyConnection, paths: DataPaths, built_at: datetime) -> dict[str, int]:
    fresh = paths.data_dir / ".exports.new"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    manifest: dict[str, Any] = {
        "built_at": built_at.isoformat(),
        "profile": "public: counts of 1-4 persons or contacts suppressed, shares on fewer than 5 null",
        "marts": [],
        "source_files": _source_files(con),
    }
    rows: dict[str, int] = {}
    for mart in MARTS:
        view = f"{EXPORT_SCHEMA}.export_{mart}"
        columns = con.execute(f"describe {view}").fetchall()
        names = [c[0] for c in columns]
        period = "year" if "year" in names else "month"
        count = int(con.execute(f"select count(*) from {view}").fetchall()[0][0])
        rows[mart] = count
        out = fresh / mart
        out.mkdir()
        if count:
            partition = "year" if period == "year" else "year(month) as year"
            con.execute(
                f"copy (select *{'' if period == 'year' else ', ' + partition} from {view}) "
                f"to '{out}' (format parquet, partition_by (year), compression zstd)"
            )
        manifest["marts"].append(
            {
                "mart": mart,
                "path": f"{mart}/",
                "partitioned_by": "year",
                "columns": [{"name": c[0], "type": c[1]} for c in columns],
                "rows": count,
            }
        )
    (fresh / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    _swap_directory(fresh, paths.exports)
    return rows


def _source_files(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    found = con.execute(
        """
        select source, file_name, sha256, cast(loaded_at as varchar), rows_loaded
        from audit.load_files where status = 'loaded' order by source, file_name
        """
    ).fetchall()
    return [
        {"source": s, "file_name": n, "sha256": h, "loaded_at": t, "rows_loaded": r}
        for s, n, h, t, r in found
    ]


def _swap_directory(fresh: Path, target: Path) -> None:
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
