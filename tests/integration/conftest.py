"""One small generated county, loaded once by the real `sotevault run` (Dagster in process)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from sotevault.cli import main
from sotevault.synthetic import GenerationReport, generate_county

from .vault_harness import VaultHarness

SEED = 7
START = date(2024, 2, 20)
DAYS = 45
SCALE = 0.02
FAULT_RATE = 0.01
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class LoadedCounty:
    landing: Path
    data_dir: Path
    report: GenerationReport
    exit_code: int

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.data_dir / "warehouse.duckdb"), read_only=True)


def run_cli(landing: Path, data_dir: Path, ingest_only: bool = False) -> int:
    return main(
        ["run", "--landing", str(landing), "--data-dir", str(data_dir)]
        + (["--ingest-only"] if ingest_only else [])
    )


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationReport]:
    landing = tmp_path_factory.mktemp("county") / "landing"
    report = generate_county(landing, seed=SEED, start=START, days=DAYS, scale=SCALE, fault_rate=FAULT_RATE)
    return landing, report


@pytest.fixture(scope="session")
def county(
    generated: tuple[Path, GenerationReport], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LoadedCounty]:
    """Loaded by the `sotevault` executable, as an operator runs it: its process imports no
    dbt-core (sotevault/without_dbt_core.py) and exits without teardown; `run_cli` runs the same
    command in the test's process, where dbt-core is imported."""
    landing, report = generated
    data_dir = tmp_path_factory.mktemp("data")
    env = {**os.environ, "SOTEVAULT_PSEUDONYM_KEY": "integration-test-key"}
    command = [str(BIN / "sotevault"), "run", "--landing", str(landing), "--data-dir", str(data_dir)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    (data_dir / "run.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    assert "Traceback" not in done.stderr, done.stderr
    yield LoadedCounty(landing, data_dir, report, done.returncode)


@pytest.fixture
def county_copy(generated: tuple[Path, GenerationReport], tmp_path: Path) -> tuple[Path, GenerationReport]:
    """A private copy of the landing area a test may change."""
    landing, report = generated
    copy = tmp_path / "landing"
    shutil.copytree(landing, copy)
    return copy, report


@pytest.fixture(scope="session")
def vault_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("vault")


@pytest.fixture
def vault(vault_home: Path) -> VaultHarness:
    """A fresh hand-made warehouse for each test, at the same path (per test worker): dbt keeps
    its partial parse instead of parsing the project again for every test."""
    return VaultHarness(vault_home / "data", vault_home / "target")
