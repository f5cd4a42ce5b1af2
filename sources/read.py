"""Read any landed file with the reader of its source's file format."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

from sources.csv_reader import read_csv
from sources.jsonl_reader import read_jsonl
from sources.registry import FileFormat, LandedFile

READERS: dict[FileFormat, Callable[[LandedFile], pa.Table]] = {
    FileFormat.CSV: read_csv,
    FileFormat.JSONL: read_jsonl,
}


def read_file(landed: LandedFile) -> pa.Table:
    """The file's rows as text, one per data row read (see sources.base for the columns).

    Raises sources.base.FileFormatError when the file cannot be read as its source at all.
    """
    return READERS[landed.source.file_format](landed)
