"""The dbt project's manifest and the files it is parsed from, read without importing dbt.

`sotevault run` decides from these alone whether the manifest is current before it imports
dagster-dbt (sotevault/without_dbt_core.py), so this module imports only the standard library.
"""

from __future__ import annotations

from sotevault.paths import DBT_PROJECT_DIR

TARGET_DIR = DBT_PROJECT_DIR / "target"
MANIFEST_PATH = TARGET_DIR / "manifest.json"
# What dbt parses: the models, macros and seeds (beside the dbt project, at the repository's top)
# and the project's own configuration.
SOURCE_DIRS = tuple(DBT_PROJECT_DIR.parent / name for name in ("models", "macros", "seeds"))
PROJECT_FILES = (DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml")


def newest_source_mtime() -> float:
    """The modification time of the most recently changed file dbt parses."""
    files = [p for root in SOURCE_DIRS for p in root.rglob("*") if p.is_file()]
    return max(p.stat().st_mtime for p in [*files, *PROJECT_FILES])


def manifest_is_current() -> bool:
    """True when a manifest exists and no model, macro, seed or project file changed after it."""
    return MANIFEST_PATH.exists() and MANIFEST_PATH.stat().st_mtime >= newest_source_mtime()
