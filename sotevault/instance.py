"""The one Dagster instance under DATA_DIR, shared by `sotevault run` and `make dev`."""

from __future__ import annotations

import json
import os
from pathlib import Path

from sotevault.paths import DataPaths

MARKER = "# Written by sotevault"
DAGSTER_YAML = """\
# Written by sotevault: runs started from the CLI and from `make dev` share this instance.
# (Rewritten by every `sotevault run`; remove this first line to keep your own settings.)
telemetry:
  enabled: false
# Dagster's SQLite event log, with pooled connections (sotevault/dagster_storage.py).
event_log_storage:
  module: sotevault.dagster_storage
  class: PooledSqliteEventLogStorage
  config:
    base_dir: {event_log_dir}
"""


EVENT_BATCH_SIZE = "1000"


def prepare_environment(data_dir: Path, landing: Path) -> DataPaths:
    """Point the environment at one data directory and landing area (absolute paths)."""
    paths = DataPaths(data_dir.resolve())
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    paths.dagster_home.mkdir(parents=True, exist_ok=True)
    write_instance_config(paths.dagster_home)
    os.environ["SOTEVAULT_DATA_DIR"] = str(paths.data_dir)
    os.environ["SOTEVAULT_LANDING_DIR"] = str(landing.resolve())
    os.environ["DAGSTER_HOME"] = str(paths.dagster_home)
    # Dagster hands a run's planned events to the event log as one batch only when this is set;
    # the pooled log stores a batch in one transaction (sotevault/dagster_storage.py).
    os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", EVENT_BATCH_SIZE)
    return paths


def write_instance_config(dagster_home: Path) -> None:
    """Write DAGSTER_HOME/dagster.yaml unless an operator has made it their own."""
    config = dagster_home / "dagster.yaml"
    # Dagster's own default place for the event log of an instance in this directory.
    text = DAGSTER_YAML.format(event_log_dir=json.dumps(str(dagster_home / "history" / "runs")))
    if config.exists():
        current = config.read_text(encoding="utf-8")
        if current == text or not current.startswith(MARKER):
            return
    config.write_text(text, encoding="utf-8")
