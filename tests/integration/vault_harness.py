"""A real warehouse for vault tests: raw batches written by hand, real dbt builds between them."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from contracts.fields import FIELDS
from sotevault.paths import DBT_PROJECT_DIR
from sotevault.warehouse import connect, ensure_schema, raw_column

VISIT_MODELS = "+bv_visit_current +hub_person +link_visit_person +link_visit_unit +link_visit_service_class"
MART_MODELS = "+mart_care_guarantee +mart_e_contact_share +mart_unit_costs +mart_mds_conformance"


def encounter(version: int, **change: Any) -> dict[str, Any]:
    """A valid aptj_b raw row (already typed), version `version`."""
    row: dict[str, Any] = {
        "encounter_id": "B-1",
        "version": version,
        "updated_at": datetime(2024, 3, version, 8, 0, tzinfo=UTC),
        "person_pseudonym": "personone",
        "patient_municipality": "434",
        "unit_oid": "1.2.246.10.2345678",
        "unit_name": "Loviisan terveysasema",
        "service_type": "T11",
        "contact_mode": "R50",
        "urgent": False,
        "staff_role": "nurse",
        "contact_at": datetime(2024, 3, 1, 7, 0, tzinfo=UTC),
        "assessed_at": datetime(2024, 3, 1, 7, 10, tzinfo=UTC),
        "start_at": datetime(2024, 3, 5, 8, 0, tzinfo=UTC),
        "status": "completed",
        "icd10": None,
        "icpc2": None,
        "purchased_from": None,
    }
    row.update(change)
    return row


def decision(decision_id: str, modified: str, **change: Any) -> dict[str, Any]:
    """A sos_paatokset raw row: granted (M) home care of client p8 in 638, `muokattu` local time."""
    row: dict[str, Any] = {
        "paatos_id": decision_id,
        "person_pseudonym": "p8",
        "kunta": "638",
        "palvelu": "KOTIHOITO",
        "alkupvm": date(2024, 1, 1),
        "loppupvm": None,
        "ratkaisu": "M",
        "muokattu": datetime.fromisoformat(modified),
    }
    row.update(change)
    return row


def delivery(
    delivery_id: str, decision_id: str, day: date, channel: str, withdrawn: bool = False
) -> dict[str, Any]:
    """A sos_suoritteet raw row: one kerta of the decision's service."""
    return {
        "suorite_id": delivery_id,
        "paatos_id": decision_id,
        "pvm": day,
        "maara": Decimal("1.000"),
        "yksikko": "kerta",
        "kanava": channel,
        "poistettu": withdrawn,
    }


def dbt_build_args(select: str, target_path: Path) -> list[str]:
    """`dbt build` of `select` on the project, into its own target directory; a data test is
    selected with its model only when every model it reads is selected."""
    return [
        "build",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_path),
        "--select",
        select,
        "--indirect-selection",
        "cautious",
    ]


@dataclass
class VaultHarness:
    data_dir: Path
    target_dir: Path
    clock: datetime = field(default_factory=lambda: datetime(2024, 3, 1, 2, 0, tzinfo=UTC))

    def __post_init__(self) -> None:
        # A fresh warehouse at the same path every time: the same dbt profile lets dbt reuse its
        # partial parse instead of parsing the project again for every test.
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.data_dir.glob("warehouse.duckdb*"):
            stale.unlink()
        con = connect(self.warehouse)
        try:
            ensure_schema(con)
        finally:
            con.close()

    @property
    def warehouse(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    def add_batch(
        self,
        source: str,
        rows: list[dict[str, Any]],
        file_name: str,
        loaded_at: datetime | None = None,
        file_date: date = date(2024, 3, 1),
        file_version: int = 1,
    ) -> int:
        """One ingestion batch of already-typed raw rows (pseudonyms in place of hetus)."""
        self.clock += timedelta(hours=1)
        loaded = loaded_at or self.clock
        columns = [raw_column(f) for f in FIELDS[source]]
        con = connect(self.warehouse)
        try:
            batch = int(con.execute("select nextval('audit.load_batch_seq')").fetchall()[0][0])
            for line, row in enumerate(rows, start=2):
                values = [row.get(c) for c in columns]
                values += [file_name, row.get("_line_number", line), file_date, file_version, batch, loaded]
                placeholders = ", ".join("?" for _ in values)
                con.execute(f"insert into raw.{source} values ({placeholders})", values)
            con.execute(
                "insert into audit.load_files values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0, ?, 'loaded', null)",
                [
                    "test",
                    batch,
                    source,
                    file_name,
                    f"sha-{batch}",
                    file_date,
                    file_version,
                    len(rows),
                    len(rows),
                    loaded,
                ],
            )
        finally:
            con.close()
        return batch

    def build(
        self,
        select: str = VISIT_MODELS,
        full_refresh: bool = False,
        with_tests: bool = False,
        extra: tuple[str, ...] = (),
        expect_success: bool = True,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """`dbt build` in its own process, as Dagster runs it (dbt-duckdb keeps its database open
        in the process that ran it). Without the models' data tests unless asked: these tests
        assert exact rows themselves. `extra`: more dbt arguments; `env`: more environment
        variables; with `expect_success=False` the caller reads the outcome."""
        args = [str(Path(sys.executable).parent / "dbt"), *dbt_build_args(select, self.target_dir)]
        if full_refresh:
            args.append("--full-refresh")
        if not with_tests:
            args += ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
        args += extra
        done = subprocess.run(
            args,
            env={**os.environ, **(env or {}), "SOTEVAULT_DATA_DIR": str(self.data_dir)},
            capture_output=True,
            text=True,
            check=False,
        )
        if expect_success:
            assert done.returncode == 0, f"dbt build failed:\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
        return done

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def write(self, sql: str, params: list[Any] | None = None) -> None:
        """A statement the tests use to fake a fault or mark a row (a wrong row, a duplicate)."""
        con = duckdb.connect(str(self.warehouse))
        try:
            con.execute(sql, params or [])
        finally:
            con.close()

    def count(self, table: str) -> int:
        return int(self.query(f"select count(*) from {table}")[0][0])
