"""Which landed files a run must read: new ones, and what to say about the rest.

A file is known by its source and name. Same name and same sha256 as a loaded file: nothing
to do. Same name, other content: refused (sources.md: a landed file is never rewritten).
Another name with the content of a file already loaded that had rows: a duplicate, loads
nothing. (Header-only extracts of quiet days are byte-identical and are not re-sends.)
A file's hash is computed again only when its size, times or inode moved (file_hashes.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from sotevault.ingest.file_hashes import content_hashes
from sources.registry import LandedFile


@dataclass(frozen=True)
class Triage:
    new: list[tuple[LandedFile, str]]
    duplicates: list[tuple[LandedFile, str, str]]  # file, sha256, name of the file it repeats
    refused: list[tuple[LandedFile, str, str]]  # file, sha256, why
    unchanged: int


def triage(
    con: duckdb.DuckDBPyConnection,
    source: str,
    files: list[LandedFile],
    checked_at: datetime,
    hash_every_file: bool = False,
) -> Triage:
    known = con.execute(
        """
        select file_name, sha256, status, rows_read from audit.load_files
        where source = ? and status in ('loaded', 'duplicate')
        """,
        [source],
    ).fetchall()
    by_name = {name: sha for name, sha, _, _ in known}
    by_sha = {sha: name for name, sha, status, rows in known if status == "loaded" and rows > 0}
    new: list[tuple[LandedFile, str]] = []
    duplicates: list[tuple[LandedFile, str, str]] = []
    refused: list[tuple[LandedFile, str, str]] = []
    unchanged = 0
    hashes = content_hashes(con, source, files, checked_at, hash_every_file)
    for landed in files:
        sha = hashes[landed.file_name]
        if landed.file_name in by_name:
            if by_name[landed.file_name] == sha:
                unchanged += 1
            else:
                refused.append(
                    (
                        landed,
                        sha,
                        f"{landed.source.directory}/{landed.file_name} changed after it was loaded "
                        f"(sha256 {by_name[landed.file_name][:12]}… loaded, now {sha[:12]}…): "
                        "a landed file is never rewritten; send changes in a new file",
                    )
                )
        elif sha in by_sha:
            duplicates.append((landed, sha, by_sha[sha]))
        else:
            new.append((landed, sha))  # copies within this batch are told apart after reading
    return Triage(new, duplicates, refused, unchanged)
