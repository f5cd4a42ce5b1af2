"""The same dbt models on Apache Spark: the raw vault built on Spark equals DuckDB's, row by row.

A small generated county is ingested by `sotevault run --ingest-only` (DuckDB) in two loads: its
first 13 days, then its last seven (new visits, new versions of old ones). After each load
the raw layer is handed to Spark as Parquet, and `dbt build` of the raw vault (seeds, staging,
hubs, links, satellites and their data tests) runs on both engines: DuckDB through dbt-duckdb,
Spark through dbt-spark on an in-process session (local mode, Parquet tables). The second build is
incremental on both. Every vault table must then hold the same rows on both engines: the same
keys (DuckDB's UHUGEINT and Spark's BINARY as their MD5 hex), key texts, hashdiffs, payloads,
load times and batches. Run by `make spark` (CI runs it), not by `make test`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pytest

from contracts.fields import FIELDS
from sotevault.synthetic import generate_county
from sources.registry import discover
from tests.integration.vault_harness import dbt_build_args

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

pytestmark = pytest.mark.spark

SEED = 11
# February's last day inside the range: the month's Omaolo and ledger files are delivered.
START = date(2024, 2, 15)
DAYS = 20
SPLIT = START + timedelta(days=13)
SCALE = 0.02
BIN = Path(sys.executable).parent
KEY = "spark-test-key"
# The raw vault and what it is built from: seeds, staging and the models' data tests.
SELECT = "+raw_vault"


def land(source: Path, landing: Path, first: bool) -> int:
    """Hard-link the generated files of the first load (dated before SPLIT) or of the second."""
    files, unknown = discover(source)
    assert not unknown, unknown
    linked = 0
    for landed in files:
        if (landed.file_date < SPLIT) != first:
            continue
        target = landing / landed.path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(landed.path, target)
        linked += 1
    return linked


def ingest(landing: Path, data_dir: Path) -> int:
    """`sotevault run --ingest-only`; the newest batch id afterwards."""
    done = subprocess.run(
        [
            str(BIN / "sotevault"),
            "run",
            "--ingest-only",
            "--landing",
            str(landing),
            "--data-dir",
            str(data_dir),
        ],
        env={**os.environ, "SOTEVAULT_PSEUDONYM_KEY": KEY},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"ingestion failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return int(con.execute("select max(batch_id) from audit.load_files").fetchall()[0][0])
    finally:
        con.close()


def export_raw(data_dir: Path, out: Path, after: int, through: int) -> dict[str, int]:
    """The raw rows and file records of batches (after, through] as Parquet, one file per table."""
    out.mkdir(parents=True)
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        tables = {f"raw.{source}": "_batch_id" for source in FIELDS} | {"audit.load_files": "batch_id"}
        counts = {}
        for table, batch in tables.items():
            rows = f"select * from {table} where {batch} > {after} and {batch} <= {through}"
            con.execute(f"copy ({rows}) to '{out / table}.parquet' (format parquet)")
            counts[table] = int(con.execute(f"select count(*) from ({rows})").fetchall()[0][0])
        return counts
    finally:
        con.close()


def hand_over(spark: SparkSession, parquet: Path) -> None:
    """Append the exported tables to Spark's raw and audit tables (created by the first)."""
    for path in sorted(parquet.glob("*.parquet")):
        schema, _ = path.stem.split(".")
        spark.sql(f"create database if not exists {schema}")
        spark.read.parquet(str(path)).write.format("parquet").mode("append").saveAsTable(path.stem)


def build_on_duckdb(data_dir: Path, target_path: Path) -> None:
    done = subprocess.run(
        [str(BIN / "dbt"), *dbt_build_args(SELECT, target_path)],
        env={**os.environ, "SOTEVAULT_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"dbt build on DuckDB failed:\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}"


def build_on_spark(target_path: Path) -> float:
    """`dbt build --target spark` in this process: dbt-spark's session method takes the running
    SparkSession. Seconds taken."""
    from dbt.cli.main import dbtRunner

    started = time.perf_counter()
    result = dbtRunner().invoke([*dbt_build_args(SELECT, target_path), "--target", "spark"])
    assert result.success, f"dbt build on Spark failed: {result.exception}"
    return time.perf_counter() - started


@dataclass(frozen=True)
class Replayed:
    data_dir: Path
    spark: SparkSession
    first_batch: int
    last_batch: int
    handed_over: list[dict[str, int]]
    spark_seconds: list[float]


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replayed]:
    # Spark hands timestamps to Python in the process's time zone; DuckDB's are compared in UTC.
    os.environ["TZ"] = "UTC"
    time.tzset()
    from pyspark.sql import SparkSession

    root = tmp_path_factory.mktemp("spark")
    generated, landing, data_dir = root / "generated", root / "landing", root / "data"
    generate_county(generated, seed=SEED, start=START, days=DAYS, scale=SCALE)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("sotevault-vault-on-spark")
        .config("spark.sql.warehouse.dir", str(root / "spark-warehouse"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    batches = [0]
    handed_over = []
    spark_seconds = []
    try:
        for load, first in enumerate((True, False), start=1):
            assert land(generated, landing, first) > 0
            batches.append(ingest(landing, data_dir))
            parquet = root / f"raw-{load}"
            handed_over.append(export_raw(data_dir, parquet, batches[-2], batches[-1]))
            build_on_duckdb(data_dir, root / "target-duckdb")
            hand_over(spark, parquet)
            spark_seconds.append(build_on_spark(root / "target-spark"))
        yield Replayed(data_dir, spark, batches[1], batches[2], handed_over, spark_seconds)
    finally:
        spark.stop()
        shutil.rmtree(root / "spark-warehouse", ignore_errors=True)


def vault_tables(data_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """Every raw vault table of the DuckDB build (its current-state tables aside: Spark keeps
    none) with its columns and their types."""
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute(
            """
            select table_name, column_name, data_type from information_schema.columns
            where table_schema = 'vault' and table_name not like '%\\_\\_current' escape '\\'
            order by table_name, ordinal_position
            """
        ).fetchall()
    finally:
        con.close()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append((column, data_type))
    return tables


def normal(value: Any) -> Any:
    """One value as both engines' Python drivers give it, compared in UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def duckdb_rows(data_dir: Path, table: str, columns: list[tuple[str, str]]) -> Counter[tuple[Any, ...]]:
    # md5_number reads the digest little-endian: the hex of its bytes reversed is the MD5 hex.
    selected = [
        f"upper(array_to_string(list_reverse(regexp_extract_all(lpad(hex({name}), 32, '0'), '..')), ''))"
        if data_type == "UHUGEINT"
        else name
        for name, data_type in columns
    ]
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        rows = con.execute(f"select {', '.join(selected)} from vault.{table}").fetchall()
    finally:
        con.close()
    return Counter(tuple(normal(v) for v in row) for row in rows)


def spark_rows(spark: SparkSession, table: str, columns: list[tuple[str, str]]) -> Counter[tuple[Any, ...]]:
    types = dict(spark.table(f"vault.{table}").dtypes)
    selected = [f"upper(hex({name}))" if types[name] == "binary" else name for name, _ in columns]
    rows = spark.sql(f"select {', '.join(selected)} from vault.{table}").collect()
    return Counter(tuple(normal(v) for v in row) for row in rows)


def test_both_loads_reached_spark_with_new_rows(replayed: Replayed) -> None:
    assert replayed.last_batch > replayed.first_batch > 0
    for counts in replayed.handed_over:
        assert counts["audit.load_files"] > 0
        assert counts["raw.aptj_a"] > 0 and counts["raw.aptj_b"] > 0
    print(f"dbt build on Spark: {', '.join(f'{s:.0f} s' for s in replayed.spark_seconds)}")


def test_every_vault_table_holds_the_same_rows_on_spark_as_on_duckdb(replayed: Replayed) -> None:
    tables = vault_tables(replayed.data_dir)
    assert len(tables) >= 25, sorted(tables)
    differing = {}
    for table, columns in tables.items():
        duck = duckdb_rows(replayed.data_dir, table, columns)
        spark = spark_rows(replayed.spark, table, columns)
        assert duck, f"{table} is empty on DuckDB"
        if duck != spark:
            only_duck, only_spark = duck - spark, spark - duck
            differing[table] = (
                f"{sum(duck.values())} rows on DuckDB, {sum(spark.values())} on Spark; "
                f"only on DuckDB {list(only_duck)[:2]}, only on Spark {list(only_spark)[:2]}"
            )
    assert not differing, "\n".join(f"{t}: {d}" for t, d in differing.items())


def test_the_second_build_loaded_only_the_second_loads_batches_on_spark(replayed: Replayed) -> None:
    """Each vault model's watermark moved twice: through the first load's last batch, then the
    second's; and the second build's rows carry only the second load's batches."""
    marks = replayed.spark.sql(
        "select model, collect_list(load_batch) from audit.vault_watermarks group by model"
    ).collect()
    assert len(marks) >= 25
    for model, loaded in marks:
        assert sorted(loaded) == [replayed.first_batch, replayed.last_batch], model
    late = replayed.spark.sql(
        f"select count(*) from vault.sat_visit_status__aptj_a where load_batch > {replayed.first_batch}"
    ).collect()[0][0]
    assert late > 0
