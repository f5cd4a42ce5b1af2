"""The dbt project, as Dagster sees it: nothing else lives in this module."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from sotevault.dbt_sources import manifest_is_current
from sotevault.paths import DBT_PROJECT_DIR

# dbt from this interpreter's environment, whether or not the venv is activated: dagster-dbt's
# manifest preparer looks `dbt` up on PATH. Runs launch `sotevault-dbt`: dbt's own command line,
# ended without freeing its modules (sotevault/dbt_command.py).
DBT_EXECUTABLE = str(Path(sys.executable).parent / "sotevault-dbt")
if str(Path(sys.executable).parent) not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def ensure_manifest() -> None:
    """Parse the dbt project when no manifest exists yet (CLI runs, tests, CI).

    `dagster dev` re-parses on its own (`prepare_if_dev`); `sotevault run` calls
    `refresh_manifest` so that edited models are always picked up.
    """
    if not dbt_project.manifest_path.exists():
        dbt_project.preparer.prepare(dbt_project)


def refresh_manifest() -> None:
    """Re-parse when a model, macro, seed or the project changed since the manifest was made."""
    if not manifest_is_current():
        dbt_project.preparer.prepare(dbt_project)


dbt_project.prepare_if_dev()
ensure_manifest()
