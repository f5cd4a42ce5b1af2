"""One small generated county, loaded once by the real `sotevault run` (Dagster in process)."""

from __future__ import annotations

import shutil
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
    landing, report = generated
    data_dir = tmp_path_factory.mktemp("data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOTEVAULT_PSEUDONYM_KEY", "integration-test-key")
        code = run_cli(landing, data_dir)
    yield LoadedCounty(landing, data_dir, report, code)


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
