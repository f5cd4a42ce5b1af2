"""Code lists, read from the dbt seeds (codes.md lives in the project once: in seeds/)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from sotevault.paths import SEEDS_DIR


@cache
def seed_rows(seed: str, seeds_dir: Path = SEEDS_DIR) -> tuple[dict[str, str], ...]:
    """All rows of one seed CSV as dicts of text (the seed file is small)."""
    path = seeds_dir / f"{seed}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(dict(row) for row in csv.DictReader(handle))


def codes(seed: str, column: str = "code") -> list[str]:
    """The valid values of one code list, in seed order."""
    return [row[column] for row in seed_rows(seed) if row[column] != ""]


def mapping(seed: str, key: str, value: str) -> dict[str, str]:
    """A two-column map out of one seed, e.g. staff_role -> ammatti code."""
    return {row[key]: row[value] for row in seed_rows(seed)}
