"""The dbt project's manifest and the files it is parsed from, read without importing dbt.

`sotevault run` decides from these alone whether the manifest is current before it imports
dagster-dbt (sotevault/without_dbt_core.py), so this module imports only the standard library.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from sotevault.paths import DBT_PROJECT_DIR

TARGET_DIR = DBT_PROJECT_DIR / "target"
MANIFEST_PATH = TARGET_DIR / "manifest.json"
# What dbt parses: the models, macros and seeds (beside the dbt project, at the repository's top)
# and the project's own configuration.
SOURCE_DIRS = tuple(DBT_PROJECT_DIR.parent / name for name in ("models", "macros", "seeds"))
PROJECT_FILES = (DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml")
# dbt's partial parse: the file a parse starts from (the next one, seeded with the last one's).
PARTIAL_PARSE_NAME = "partial_parse.msgpack"
PARTIAL_PARSE_SEED = TARGET_DIR / PARTIAL_PARSE_NAME


def source_files() -> list[Path]:
    """Every file dbt parses."""
    return [*(p for root in SOURCE_DIRS for p in root.rglob("*") if p.is_file()), *PROJECT_FILES]


def newest_source_mtime() -> float:
    """The modification time of the most recently changed file dbt parses."""
    return max(p.stat().st_mtime for p in source_files())


def publish_partial_parse(parsed: Path) -> None:
    """Make `parsed` the seed the next parse starts from, atomically (another run may be reading
    the seed); nothing when dbt wrote no partial parse."""
    if not parsed.exists():
        return
    staging = PARTIAL_PARSE_SEED.with_name(f".{PARTIAL_PARSE_NAME}.{os.getpid()}")
    with contextlib.suppress(OSError):
        shutil.copyfile(parsed, staging)
        staging.replace(PARTIAL_PARSE_SEED)


def manifest_is_current() -> bool:
    """True when a manifest exists and no model, macro, seed or project file changed after it."""
    return MANIFEST_PATH.exists() and MANIFEST_PATH.stat().st_mtime >= newest_source_mtime()
