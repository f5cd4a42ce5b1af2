"""What analysts and BI tools read: marts.duckdb swapped in whole, Parquet exports by year."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from sotevault.marts import MART_GRAIN, MARTS
from sotevault.synthetic import GenerationReport

from .conftest import LoadedCounty, run_cli

pytestmark = pytest.mark.integration

# Plain types every BI reader takes (indicators.md § Parquet exports, issue: no 128-bit or
# unsigned integers, nanosecond timestamps or nested types).
PLAIN = (pa.int32(), pa.int64(), pa.float64(), pa.decimal128(18, 2), pa.date32(), pa.bool_(), pa.string())


def _mart_rows(county: LoadedCounty, mart: str) -> list[dict[str, Any]]:
    with county.connect() as con:
        cursor = con.execute(f"select * from marts.{mart}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _keys(mart: str) -> tuple[str, ...]:
    return MART_GRAIN[mart]


def _same(exported: Any, exact: Any) -> bool:
    if isinstance(exact, float) and exported is not None:
        return bool(abs(exported - exact) < 1e-12)
    if isinstance(exact, Decimal) and exported is not None:
        return Decimal(str(exported)) == exact
    return bool(exported == exact)


@pytest.mark.parametrize("mart", MARTS)
def test_exports_read_back_in_pyarrow_and_polars(county: LoadedCounty, mart: str) -> None:
    exact = {tuple(r[k] for k in _keys(mart)): r for r in _mart_rows(county, mart)}
    folder = county.data_dir / "exports" / mart
    years = {r["year"] if "year" in r else r["month"].year for r in exact.values()}
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"year={y}" for y in years)
    table = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
    for field in table.schema:
        assert field.type in PLAIN, (mart, field.name, field.type)
    arrow_rows = table.to_pylist()
    polars_rows = pl.scan_parquet(folder / "**" / "*.parquet", hive_partitioning=True).collect().to_dicts()
    assert len(arrow_rows) == len(polars_rows) == len(exact)
    for reader_rows in (arrow_rows, polars_rows):
        for row in reader_rows:
            key = tuple(row[k] for k in _keys(mart))
            mart_row = exact[key]
            for column, value in mart_row.items():
                if row.get(f"{column}_suppressed"):
                    assert row[column] is None, (mart, key, column)
                    if column.endswith(("_days", "_per_service", "_per_client")):
                        # A figure withheld because it rests on 1-4 visits, services or clients.
                        basis = {"_days": "visits", "_per_service": "services", "_per_client": "clients"}
                        counted = next(mart_row[b] for s, b in basis.items() if column.endswith(s))
                        assert 1 <= counted <= 4, (mart, key, column)
                    else:
                        assert 1 <= mart_row[column] <= 4, (mart, key, column)
                    continue
                if value is not None and row[column] is None:
                    # A share or figure on a denominator under 5: suppressed.
                    assert column.startswith("share") or column == "e_contact_share", (mart, key, column)
                    continue
                assert _same(row[column], value), (mart, key, column, row[column], value)


def test_small_cells_are_suppressed(county: LoadedCounty) -> None:
    exported = pl.scan_parquet(
        county.data_dir / "exports" / "mart_care_guarantee" / "**" / "*.parquet", hive_partitioning=True
    ).collect()
    suppressed = exported.filter(pl.col("visits_suppressed"))
    assert suppressed.height > 0
    assert suppressed["visits"].null_count() == suppressed.height
    assert suppressed["share_within_7d"].null_count() == suppressed.height
    shown = exported.filter(~pl.col("visits_suppressed") & (pl.col("visits") > 0))
    assert shown["visits"].min() >= 5  # type: ignore[operator]


def test_manifest_describes_every_export(county: LoadedCounty) -> None:
    manifest = json.loads((county.data_dir / "exports" / "manifest.json").read_text(encoding="utf-8"))
    assert [m["mart"] for m in manifest["marts"]] == list(MARTS)
    with county.connect() as con:
        for entry in manifest["marts"]:
            assert (
                entry["rows"] == con.execute(f"select count(*) from marts.{entry['mart']}").fetchall()[0][0]
            )
            assert entry["partitioned_by"] == "year"
            assert {c["name"] for c in entry["columns"]} >= set(_keys(entry["mart"])) - {"year"}
        loaded = con.execute("select count(*) from audit.load_files where status = 'loaded'").fetchall()[0][0]
    assert len(manifest["source_files"]) == loaded
    assert manifest["built_at"]


def test_marts_file_holds_the_exact_marts(county: LoadedCounty) -> None:
    con = duckdb.connect(str(county.data_dir / "marts.duckdb"), read_only=True)
    try:
        for mart in MARTS:
            published = sorted(map(repr, con.execute(f"select * from marts.{mart}").fetchall()))
            assert published == sorted(map(repr, [tuple(r.values()) for r in _mart_rows(county, mart)]))
    finally:
        con.close()


READER = """
import duckdb, json, sys, time
path, out, stop = sys.argv[1], sys.argv[2], sys.argv[3]
import pathlib
with open(out, "w") as log:
    while not pathlib.Path(stop).exists():
        try:
            con = duckdb.connect(path, read_only=True)
            # One consistent snapshot: every mart from the same file.
            seen = [
                con.execute("select count(*), sum(visits) from marts.mart_care_guarantee").fetchall()[0],
                con.execute("select count(*), sum(contacts) from marts.mart_e_contact_share").fetchall()[0],
            ]
            con.close()
            log.write(json.dumps({"ok": [list(s) for s in seen]}) + "\\n")
        except Exception as err:
            log.write(json.dumps({"error": str(err)}) + "\\n")
        log.flush()
        time.sleep(0.05)
"""


def _snapshot(marts_file: Path) -> list[list[int]]:
    con = duckdb.connect(str(marts_file), read_only=True)
    try:
        return [
            list(con.execute("select count(*), sum(visits) from marts.mart_care_guarantee").fetchall()[0]),
            list(con.execute("select count(*), sum(contacts) from marts.mart_e_contact_share").fetchall()[0]),
        ]
    finally:
        con.close()


def _land_new_day(landing: Path) -> None:
    """A later aptj_a extract with new visits (their ids renamed), so the marts change."""
    newest = sorted((landing / "aptj_a").glob("kaynnit_*.csv"))[-1]
    text = newest.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        if len(row) == len(rows[0]):
            writer.writerow(["NEW-" + row[0], *row[1:]])
    (landing / "aptj_a" / "kaynnit_2099-01-01.csv").write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))


def test_analysts_read_every_mart_during_a_run_and_after_a_failed_one(
    county: LoadedCounty, county_copy: tuple[Path, GenerationReport], tmp_path: Path
) -> None:
    landing, _ = county_copy
    data_dir = tmp_path / "data"
    shutil.copytree(county.data_dir, data_dir)  # the session's good run, published
    marts_file = data_dir / "marts.duckdb"
    before = _snapshot(marts_file)

    log, stop = tmp_path / "reader.jsonl", tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(marts_file), str(log), str(stop)])
    try:
        _land_new_day(landing)
        assert run_cli(landing, data_dir) == 0  # writes the warehouse, then swaps marts.duckdb
        after = _snapshot(marts_file)
        assert after != before
        # A failed run: another process holds the warehouse, so nothing can load.
        blocker = duckdb.connect(str(data_dir / "warehouse.duckdb"))
        try:
            assert run_cli(landing, data_dir) == 1
        finally:
            blocker.close()
        time.sleep(0.5)
    finally:
        stop.touch()
        reader.wait(timeout=30)
    seen = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(seen) > 10
    assert [s for s in seen if "error" in s] == []
    # Every read saw one whole publication: the one before the run or the one after it.
    assert {json.dumps(s["ok"]) for s in seen} <= {json.dumps(before), json.dumps(after)}
    assert json.dumps(seen[-1]["ok"]) == json.dumps(after)  # the failed run left the last good one
