"""The landing area as a whole: what is there, and recording what matches no source."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from sotevault.ingest.file_hashes import sha256_of
from sotevault.pseudonym import scrub
from sources.registry import SOURCES_BY_NAME, LandedFile, discover

UNRECOGNISED = "unrecognised"


def landed_files(landing: Path, source: str | None = None) -> list[LandedFile]:
    """The recognised files of the landing area, or of one source (its directory alone is read)."""
    directory = None if source is None else SOURCES_BY_NAME[source].directory
    files, _ = discover(landing, directory)
    return [f for f in files if source is None or f.source.name == source]


def record_unrecognised(
    con: duckdb.DuckDBPyConnection, unknown: list[tuple[Path, str]], run_id: str, loaded_at: datetime
) -> list[tuple[str, str]]:
    """Refuse every file that matches no source (once per name and content); return them all."""
    reported = []
    for path, reason in unknown:
        why = scrub(reason)
        name = f"{path.parent.name}/{path.name}"
        sha = sha256_of(path)
        seen = con.execute(
            "select count(*) from audit.load_files where source = ? and file_name = ? and sha256 = ?",
            [UNRECOGNISED, name, sha],
        ).fetchall()[0][0]
        if not seen:
            con.execute(
                "insert into audit.load_files "
                "values (?, null, ?, ?, ?, null, null, ?, 0, 0, 0, ?, 'refused', ?)",
                [run_id, UNRECOGNISED, name, sha, path.stat().st_size, loaded_at, why],
            )
        reported.append((name, why))
    return reported
