"""What every reader shares: the shape of its result, its error, decoding and text slicing.

A reader turns one landed file into a `pyarrow.Table` with, in this order:

- one `pa.string()` column per field of `contracts.fields.FIELDS[source]`, named `Field.name`:
  the value's exact text, null when blank (empty or only whitespace: blank means missing);
- `_line_number` (`pa.int32()`): the physical line of the file where the row starts (a CSV
  header is line 1; a quoted value holding line ends makes a row span several lines);
- `_raw` (`pa.string()`): the row's text as decoded, without its line end;
- `_structure_error` (`pa.string()`): null when the row has its source's structure, else why
  not; such a row keeps its place with every field null, so nothing read is lost.

A file that cannot be read as its source at all raises `FileFormatError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from contracts.fields import Field
from sources.registry import LandedFile

LINE_NUMBER = "_line_number"
RAW = "_raw"
STRUCTURE_ERROR = "_structure_error"

UTF8_BOM = b"\xef\xbb\xbf"
# Arrow string offsets are int32; one export is far below this.
MAX_FILE_BYTES = 2**31 - 1

Positions = NDArray[np.int64]
Mask = NDArray[np.bool_]
_NULL = pa.scalar(None, pa.string())


class FileFormatError(ValueError):
    """The file cannot be read as its source at all (encoding, header, emptiness).

    `path` is the file; `reason` says what was expected and what was found, and where.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def reader_schema(fields: tuple[Field, ...]) -> pa.Schema:
    """The columns a reader returns for a source with these fields."""
    return pa.schema(
        [pa.field(f.name, pa.string()) for f in fields]
        + [
            pa.field(LINE_NUMBER, pa.int32(), nullable=False),
            pa.field(RAW, pa.string(), nullable=False),
            pa.field(STRUCTURE_ERROR, pa.string()),
        ]
    )


def decode_to_utf8(landed: LandedFile) -> bytes:
    """The file's text as UTF-8 bytes, without a byte-order mark.

    A UTF-8 byte-order mark is dropped wherever it appears at the start: sources.md names
    the sources that carry one, but its absence or presence is no reason to refuse a file.
    Offsets in error messages are offsets in the file as landed.
    """
    path = landed.path
    data = path.read_bytes()
    skipped = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    body = data[skipped:]
    encoding = landed.source.encoding
    if encoding == "utf-8":
        _check_utf8(path, body, skipped)
    elif encoding == "iso-8859-1":
        _check_latin1(path, body, skipped)
        body = body.decode("iso-8859-1").encode("utf-8")
    else:
        raise FileFormatError(path, f"no reader for the encoding {encoding!r}")
    if len(body) > MAX_FILE_BYTES:
        raise FileFormatError(path, f"{len(body)} bytes of text is more than one read allows (2 GiB)")
    return body


def _check_utf8(path: Path, body: bytes, skipped: int) -> None:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as err:
        offset = err.start + skipped
        bad = body[err.start : err.start + 4].hex(" ")
        raise FileFormatError(
            path,
            f"not valid UTF-8 at byte {offset} (line {_line_of(body, err.start)}, bytes {bad}): "
            "the source is UTF-8 (is the file ISO-8859-1 or Windows-1252?)",
        ) from err


def _check_latin1(path: Path, body: bytes, skipped: int) -> None:
    """ISO-8859-1 decodes any byte, so look for the two ways a wrong encoding shows.

    Bytes 0x80-0x9F are no characters in ISO-8859-1 (C1 controls): they are what a
    Windows-1252 file (€, smart quotes) or UTF-8 capitals (Ä = C3 84) leave behind. A file
    that has bytes >= 0x80 and still decodes as UTF-8 is UTF-8: real Latin-1 text almost
    never does (ä = E4 followed by ASCII is invalid UTF-8). Either would load as mojibake.
    """
    if body.isascii():
        return
    raw = np.frombuffer(body, dtype=np.uint8)
    c1 = np.flatnonzero((raw >= 0x80) & (raw <= 0x9F))
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        if c1.size:
            at = int(c1[0])
            raise FileFormatError(
                path,
                f"byte 0x{raw[at]:02x} at byte {at + skipped} (line {_line_of(body, at)}) is no "
                "character in ISO-8859-1, the source's encoding (is the file Windows-1252?)",
            ) from None
        return
    first = int(np.argmax(raw >= 0x80))
    raise FileFormatError(
        path,
        f"the file is UTF-8 (first non-ASCII character at byte {first + skipped}, line "
        f"{_line_of(body, first)}), the source's encoding is ISO-8859-1",
    )


def _line_of(body: bytes, offset: int) -> int:
    return body.count(b"\n", 0, offset) + 1


class TextSlices:
    """Slices `data[starts[i]:ends[i]]` of the decoded file, taken out as string arrays.

    The slices must be in file order and not overlap (`starts[i] <= ends[i] <= starts[i+1]`)
    and cut the UTF-8 text only at ASCII bytes. The trick: the slices and the gaps between
    them are consecutive pieces of `data`, so one offsets array makes all of them a string
    array over `data` itself without a copy; `take` then copies out the wanted pieces in C++.
    """

    def __init__(self, data: pa.Buffer, starts: Positions, ends: Positions) -> None:
        self.count = len(starts)
        offsets = np.empty(2 * self.count, dtype=np.int32)
        offsets[0::2] = starts
        offsets[1::2] = ends
        self._pieces: pa.Array = pa.array([], pa.string())
        if self.count:
            self._pieces = pa.StringArray.from_buffers(2 * self.count - 1, pa.py_buffer(offsets), data)

    def take(self, index: Positions | None = None) -> pa.Array:
        """Slice `index[k]` for every k (all slices when None); null where `index[k]` is -1."""
        if index is None:
            index = np.arange(self.count, dtype=np.int64)
        if len(index) == 0:
            return pa.array([], pa.string())
        missing = index < 0
        piece = pa.array(2 * index, pa.int64(), mask=missing if missing.any() else None)
        return self._pieces.take(piece)


def blank_to_null(columns: Sequence[pa.Array], null_rows: Mask | None = None) -> list[pa.Array]:
    """The columns with null where a value is blank, and in every column at `null_rows`.

    Blank is empty or only whitespace (Unicode, like `str.isspace`). The columns are
    checked together: one pass of each kernel, whatever the number of columns, keeps the
    cost of a small file low.
    """
    if not columns:
        return []
    together = pa.concat_arrays(columns)
    blank = true_mask(pc.or_(pc.equal(pc.binary_length(together), 0), pc.utf8_is_space(together)))
    result = []
    for index, values in enumerate(columns):
        nulls = blank[index * len(values) : (index + 1) * len(values)]
        if null_rows is not None:
            nulls = nulls | null_rows
        result.append(pc.if_else(pa.array(nulls), _NULL, values) if nulls.any() else values)
    return result


def true_mask(values: pa.Array | pa.ChunkedArray) -> Mask:
    """A boolean array as numpy, null counting as False."""
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), bool)


def messages(codes: NDArray[np.int32], texts: list[str]) -> pa.Array:
    """A string array: `texts[codes[i]]`, or null where `codes[i]` is -1."""
    indices = pa.array(codes, mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(texts, pa.string())).cast(pa.string())


def assemble(
    fields: tuple[Field, ...],
    values: dict[str, pa.Array],
    line_numbers: Positions,
    raw: pa.Array,
    errors: pa.Array,
) -> pa.Table:
    """The reader's result: the field columns (all rows), then the three row columns."""
    columns = [values[f.name] for f in fields]
    columns += [pa.array(line_numbers.astype(np.int32), pa.int32()), raw, errors]
    return pa.Table.from_arrays(columns, schema=reader_schema(fields))
