"""The sha256 of each landed file, hashed again only when the file may have changed.

Triage needs every landed file's content hash to see that no loaded file was rewritten
(sources.md). Hashing the whole history every night costs what the history weighs (ten years of
daily visits: 3,653 files, 618 MB, 1.6 s for that source alone), so a file's hash is kept in
audit.landed_file_hashes with the file's stamp when it was hashed: size, modification time,
inode change time (ctime) and inode. A file whose stamp is unchanged keeps its hash; any other
is read again. A rewrite cannot keep the stamp: writing moves the ctime, which no copy, restore
or `touch` can set back (only the system clock can), and replacing the file changes the inode.
The weekly full check hashes every file regardless (`hash_every_file`), so even a filesystem
with a coarse ctime is caught within a week.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from sources.registry import LandedFile


@dataclass(frozen=True)
class FileStamp:
    file_bytes: int
    modified_ns: int
    changed_ns: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> FileStamp:
        st = path.stat()
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_hashes(
    con: duckdb.DuckDBPyConnection,
    source: str,
    files: list[LandedFile],
    hashed_at: datetime,
    hash_every_file: bool = False,
) -> dict[str, str]:
    """sha256 by file name for `files` of one source; records the hashes it had to compute."""
    kept = {
        name: (FileStamp(size, modified, changed, inode), sha)
        for name, size, modified, changed, inode, sha in con.execute(
            """
            select file_name, file_bytes, modified_ns, changed_ns, inode, sha256
            from audit.landed_file_hashes where source = ?
            """,
            [source],
        ).fetchall()
    }
    hashes: dict[str, str] = {}
    computed: list[tuple[str, FileStamp, str]] = []
    for landed in files:
        stamp = FileStamp.of(landed.path)  # before reading: a write during the read moves it
        known = kept.get(landed.file_name)
        if known is not None and known[0] == stamp and not hash_every_file:
            hashes[landed.file_name] = known[1]
            continue
        sha = sha256_of(landed.path)
        hashes[landed.file_name] = sha
        if known is None or known != (stamp, sha):
            computed.append((landed.file_name, stamp, sha))
    if computed:  # one statement however many (a backfill hashes thousands)
        rows = pa.table(
            {
                "source": [source] * len(computed),
                "file_name": [name for name, _, _ in computed],
                "file_bytes": [s.file_bytes for _, s, _ in computed],
                "modified_ns": [s.modified_ns for _, s, _ in computed],
                "changed_ns": [s.changed_ns for _, s, _ in computed],
                "inode": pa.array([s.inode for _, s, _ in computed], pa.uint64()),
                "sha256": [sha for _, _, sha in computed],
            }
        )
        con.register("sv_hashed_files", rows)
        try:
            con.execute(
                "insert or replace into audit.landed_file_hashes "
                "select *, ?::timestamptz as hashed_at from sv_hashed_files",
                [hashed_at],
            )
        finally:
            con.unregister("sv_hashed_files")
    return hashes
