"""Where things live: the one place for every path sotevault reads or writes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = REPO_ROOT / "seeds"
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"

DEFAULT_DATA_DIR = REPO_ROOT / "data"


@dataclass(frozen=True)
class DataPaths:
    """The layout under one data directory (DATA_DIR)."""

    data_dir: Path

    @property
    def warehouse(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def exports(self) -> Path:
        return self.data_dir / "exports"

    @property
    def marts_file(self) -> Path:
        """The published marts analysts and the report read (see sotevault.publish)."""
        return self.data_dir / "marts.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.data_dir / "dagster"

    @property
    def duckdb_temp(self) -> Path:
        return self.data_dir / "tmp"

    @classmethod
    def from_env(cls) -> DataPaths:
        return cls(Path(os.environ.get("SOTEVAULT_DATA_DIR", DEFAULT_DATA_DIR)).resolve())


def landing_from_env() -> Path:
    return Path(os.environ.get("SOTEVAULT_LANDING_DIR", DEFAULT_DATA_DIR / "landing")).resolve()
