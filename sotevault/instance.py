"""The one Dagster instance under DATA_DIR, shared by `sotevault run` and `make dev`."""

from __future__ import annotations

import os
from pathlib import Path

from sotevault.paths import DataPaths

DAGSTER_YAML = """\
# Written by sotevault: runs started from the CLI and from `make dev` share this instance.
telemetry:
  enabled: false
"""


def prepare_environment(data_dir: Path, landing: Path) -> DataPaths:
    """Point the environment at one data directory and landing area (absolute paths)."""
    paths = DataPaths(data_dir.resolve())
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.dagster_home.mkdir(parents=True, exist_ok=True)
    config = paths.dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    os.environ["SOTEVAULT_DATA_DIR"] = str(paths.data_dir)
    os.environ["SOTEVAULT_LANDING_DIR"] = str(landing.resolve())
    os.environ["DAGSTER_HOME"] = str(paths.dagster_home)
    return paths
