"""Read one source's files and check them against its contract as one batch.

What ingestion (`sotevault.ingest.load`) and `sotevault validate` share, so that a file
validated before sending gives exactly the figures its load gives: the same reader, the
same batch frame and the same pandera contract, run once per batch, not once per file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polars as pl
import pyarrow as pa

from contracts.contract import FILE, Validation
from contracts.sources import CONTRACTS
from sources.base import FileFormatError
from sources.read import read_file
from sources.registry import LandedFile

FILE_DATE = "_file_date"
FILE_VERSION = "_file_version"

Progress = Callable[[int, int], None]
ReadTables = list[tuple[LandedFile, pa.Table]]


def read_files(
    files: Sequence[LandedFile], progress: Progress | None = None
) -> tuple[ReadTables, list[tuple[LandedFile, FileFormatError]]]:
    """Every file read by its source's reader, and every file that cannot be read at all.

    `progress(done, total)` is called after each file. Both lists keep the order of `files`.
    """
    tables: ReadTables = []
    unreadable: list[tuple[LandedFile, FileFormatError]] = []
    for done, landed in enumerate(files, start=1):
        try:
            tables.append((landed, read_file(landed)))
        except FileFormatError as err:
            unreadable.append((landed, err))
        if progress is not None:
            progress(done, len(files))
    return tables, unreadable


def unreadable_reason(landed: LandedFile, why: str) -> str:
    """Why a file is refused: which source it was read as, and what the reader found (`why`)."""
    return f"cannot be read as {landed.source.name}: {why}"


def batch_frame(tables: ReadTables) -> pl.DataFrame:
    """The rows of one source's files as one frame, each row with its file's name, date and version."""
    frames = []
    for landed, table in tables:
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        frames.append(
            frame.with_columns(
                pl.lit(landed.file_name).alias(FILE),
                pl.lit(landed.file_date).alias(FILE_DATE),
                pl.lit(landed.file_version, dtype=pl.Int32).alias(FILE_VERSION),
            )
        )
    return pl.concat(frames, how="vertical")


@dataclass(frozen=True)
class FileCounts:
    """One file's rows: every row read either loads or is quarantined."""

    rows_read: int
    rows_quarantined: int

    @property
    def rows_loaded(self) -> int:
        return self.rows_read - self.rows_quarantined


@dataclass(frozen=True)
class CheckedBatch:
    files: tuple[LandedFile, ...]
    validation: Validation

    def counts(self) -> dict[str, FileCounts]:
        """Rows read and quarantined by file name, for every file of the batch (0 when empty)."""
        found = {
            row[FILE]: FileCounts(int(row["rows_read"]), int(row["rows_quarantined"]))
            for row in self.validation.file_counts().iter_rows(named=True)
        }
        return {f.file_name: found.get(f.file_name, FileCounts(0, 0)) for f in self.files}


def check_batch(source: str, tables: ReadTables) -> CheckedBatch:
    """Validate the read files of one source at once; their file names must be distinct.

    `tables` must not be empty: a batch frame needs at least one file's columns.
    """
    names = [landed.file_name for landed, _ in tables]
    assert len(names) == len(set(names)), f"{source}: a batch holds one file of each name"
    assert all(landed.source.name == source for landed, _ in tables), f"a {source} batch of other files"
    validation = CONTRACTS[source].validate(batch_frame(tables))
    return CheckedBatch(tuple(landed for landed, _ in tables), validation)
