"""CSV exports (sources.md, common rules): a header row, then one row per record.

Quoting is RFC 4180: a field that starts with `"` is quoted and may hold the separator,
line ends and doubled `""`; a `"` inside an unquoted field is an ordinary character.

The whole file is scanned with numpy, never row by row. Only three bytes matter for the
structure (line feed, separator, quote) and all of them are ASCII, so the scan works on
the UTF-8 bytes (an ISO-8859-1 file is transcoded first). Whether a line feed or separator
lies inside a quoted field follows from the runs of consecutive quotes before it:

- a run of odd length at the start of a field (after a separator, a line feed or at the
  start of the file) toggles in/out of quotes: outside, its first quote opens the field and
  the rest are pairs; inside, its pairs are text and its last quote closes the field;
- a run of odd length elsewhere leaves the scanner outside: inside a quoted field it closes
  it (pairs plus the closing quote), outside it is text (`12" screen`);
- a run of even length changes nothing (pairs inside; outside, an empty quoted field or
  text).

So the state after any run is the parity of the toggles since the last "reset to outside",
which is a cumulative sum: no loop. Rows are the records between line feeds outside quotes;
fields are cut at the separators outside quotes, a quoted one loses its enclosing quotes and
each pair in it becomes one quote. A row has a `_structure_error` when a quote is still open
at its end, when it has the wrong number of fields, or when text follows a closing quote
(`"12"x`, which no RFC 4180 writer produces and which has no one reading).

A stray quote that opens a field never closed would swallow the following lines into one
bad row. When a bad row spans several lines, its lines are read again one by one, and
kept apart if that yields at least one good row (a bad row never spoils its file); if none
is good (a file cut inside a quoted value), the bad row stays one row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from contracts.fields import FIELDS, Field
from sources.base import (
    FileFormatError,
    Mask,
    Positions,
    TextSlices,
    assemble,
    blank_to_null,
    decode_to_utf8,
    messages,
)
from sources.registry import LandedFile

_LF = 10
_CR = 13
_QUOTE = 34

Spans = tuple[Positions, Positions]  # (start, stop) of records to read line by line
_NO_SPANS: Spans = (np.empty(0, np.int64), np.empty(0, np.int64))


@dataclass(frozen=True)
class _Text:
    """The decoded file as UTF-8 bytes, and where its structural bytes are."""

    data: bytes
    buffer: pa.Buffer
    buf: NDArray[np.uint8]
    sep: int
    lf: Positions
    quotes: Positions
    seps: Positions

    @classmethod
    def of(cls, data: bytes, sep: str) -> _Text:
        buf = np.frombuffer(data, dtype=np.uint8)
        return cls(
            data=data,
            buffer=pa.py_buffer(data),
            buf=buf,
            sep=ord(sep),
            lf=np.flatnonzero(buf == _LF),
            quotes=np.flatnonzero(buf == _QUOTE),
            seps=np.flatnonzero(buf == ord(sep)),
        )

    def lines_before(self, positions: Positions) -> Positions:
        return np.searchsorted(self.lf, positions).astype(np.int64)


@dataclass(frozen=True)
class _Records:
    """The records of one scan, in file order, blank ones included."""

    start: Positions  # first byte
    stop: Positions  # its line feed, or the end of the file
    end: Positions  # one past its text: `stop`, less a carriage return before it
    unterminated: Mask  # a quoted field still open at `stop`
    bad_close: Positions  # first closing quote followed by text, or -1
    out_seps: Positions  # every separator outside quotes in the file
    sep_lo: Positions  # the record's separators are out_seps[sep_lo:sep_hi]
    sep_hi: Positions

    @property
    def n_fields(self) -> Positions:
        return self.sep_hi - self.sep_lo + 1

    def good(self, n_fields: int) -> Mask:
        good: Mask = ~self.unterminated & (self.n_fields == n_fields) & (self.bad_close < 0)
        return good


def read_csv(landed: LandedFile) -> pa.Table:
    """Read one CSV export into the reader's table (see sources.base)."""
    spec = landed.source
    fields = FIELDS[spec.name]
    data = decode_to_utf8(landed)
    text = _Text.of(data, spec.delimiter)
    records = _scan(text, _NO_SPANS)
    blank = _blank(text, records)
    header = _header_record(landed, records, blank, fields)
    names = _header_names(text, records, header)
    columns = _columns_by_field(landed, names, fields)

    header_start = records.start[header]
    rescanned = _split_swallowed_lines(text, records, header_start, blank, len(names))
    if rescanned is not records:
        records, blank = rescanned, _blank(text, rescanned)
    rows = np.flatnonzero(~blank & (records.start > header_start))
    return _table(text, records, rows, fields, names, columns)


def _scan(text: _Text, spans: Spans) -> _Records:
    """Cut the file into records; inside `spans` every line is a record of its own."""
    size = len(text.buf)
    run_start, run_len, field_start = _quote_runs(text)
    odd = (run_len & 1).astype(bool)
    forced = _lf_in_spans(text.lf, spans)
    resets = np.concatenate([spans[0], text.lf[forced] + 1])

    # Events in file order; at one position a reset goes before a quote run. The runs keep
    # their own order, so `[is_run]` lines the events up with the runs again.
    position = np.concatenate([run_start, resets])
    is_run = np.concatenate([np.ones(run_start.size, bool), np.zeros(resets.size, bool)])
    order = np.lexsort((is_run, position))
    position, is_run = position[order], is_run[order]
    toggle = np.concatenate([odd & field_start, np.zeros(resets.size, bool)])[order]
    reset = np.concatenate([odd & ~field_start, np.ones(resets.size, bool)])[order]
    inside = _inside_after(toggle, reset)
    # Quoted text runs from an event that leaves the scanner inside to the next event.
    opened = np.flatnonzero(inside)
    quoted_lo = position[opened]
    quoted_hi = np.append(position[1:], size)[opened]

    lf_inside = _within(text.lf, quoted_lo, quoted_hi)
    is_end = ~lf_inside | forced
    ends = text.lf[is_end]
    start = np.concatenate([[0], ends + 1]).astype(np.int64)
    stop = np.concatenate([ends, [size]]).astype(np.int64)
    open_at_eof = bool(inside[-1]) if inside.size else False
    unterminated = np.concatenate([lf_inside[is_end], [open_at_eof]])
    if start[-1] == size:  # the line end after the last row starts no further row
        start, stop, unterminated = start[:-1], stop[:-1], unterminated[:-1]
    elif text.buf[size - 1] == _LF:  # a quote open at the end: the last line feed still ends a line
        stop[-1] = size - 1
    has_cr = (stop > start) & (text.buf[np.maximum(stop - 1, 0)] == _CR)

    # A run closes a quoted field when it is odd inside one, or even at a field start
    # (`""`: opened and closed at once); what follows it must end the field.
    before = np.concatenate([[False], inside[:-1]])[is_run]
    closes = (before & odd) | (~before & field_start & ~odd)
    bad = closes & ~_ends_field(text, run_start + run_len)

    seps_inside = _within(text.seps, quoted_lo, quoted_hi)
    out_seps = text.seps[~seps_inside] if seps_inside.any() else text.seps
    return _Records(
        start=start,
        stop=stop,
        end=stop - has_cr,
        unterminated=unterminated,
        bad_close=_first_per_record(run_start[bad], start),
        out_seps=out_seps,
        sep_lo=np.searchsorted(out_seps, start).astype(np.int64),
        sep_hi=np.searchsorted(out_seps, stop).astype(np.int64),
    )


def _quote_runs(text: _Text) -> tuple[Positions, Positions, Mask]:
    """Runs of consecutive quotes: start, length, and whether a field starts there."""
    quotes = text.quotes
    if quotes.size == 0:
        empty = np.empty(0, np.int64)
        return empty, empty, np.empty(0, bool)
    first = np.ones(quotes.size, bool)
    first[1:] = quotes[1:] != quotes[:-1] + 1
    first_index = np.flatnonzero(first)
    run_start = quotes[first_index]
    run_len = np.diff(np.append(first_index, quotes.size)).astype(np.int64)
    before = text.buf[np.maximum(run_start - 1, 0)]
    field_start = (run_start == 0) | (before == text.sep) | (before == _LF)
    return run_start, run_len, field_start


def _inside_after(toggle: Mask, reset: Mask) -> Mask:
    """Inside quotes after each event: the parity of the toggles since the last reset."""
    toggles: Positions = np.cumsum(toggle, dtype=np.int64)
    last_reset = np.maximum.accumulate(np.where(reset, np.arange(reset.size), -1))
    at_reset: Positions = np.where(last_reset >= 0, toggles[np.maximum(last_reset, 0)], 0)
    inside: Mask = (toggles - at_reset) % 2 == 1
    return inside


def _within(points: Positions, lo: Positions, hi: Positions) -> Mask:
    """Which sorted `points` lie in one of the sorted, disjoint intervals [lo, hi)."""
    first = np.searchsorted(points, lo)
    after = np.searchsorted(points, hi)
    hit = after > first
    if not hit.any():
        return np.zeros(points.size, bool)
    # +1 where an interval's points begin, -1 after them; a point is inside where the
    # running sum is 1. The firsts differ from each other, and so do the afters.
    delta = np.zeros(points.size + 1, np.int8)
    delta[first[hit]] = 1
    delta[after[hit]] -= 1
    inside: Mask = np.cumsum(delta[:-1], dtype=np.int8) > 0
    return inside


def _lf_in_spans(lf: Positions, spans: Spans) -> Mask:
    """The line feeds within a span, its own terminating line feed included."""
    lo, hi = spans
    if lo.size == 0:
        return np.zeros(lf.size, bool)
    return _within(lf, lo, hi + 1)


def _ends_field(text: _Text, after: Positions) -> Mask:
    """Whether the byte at `after` ends a field: separator, line end or end of file."""
    buf, size = text.buf, len(text.buf)
    at = np.minimum(after, size - 1)
    nxt = np.minimum(after + 1, size - 1)
    crlf = (buf[at] == _CR) & ((after + 1 >= size) | (buf[nxt] == _LF))
    ends: Mask = (after >= size) | (buf[at] == text.sep) | (buf[at] == _LF) | crlf
    return ends


def _first_per_record(points: Positions, start: Positions) -> Positions:
    """For each record, the first of the sorted `points` in it, or -1."""
    first = np.full(start.size, -1, np.int64)
    record = np.searchsorted(start, points, side="right") - 1
    record, index = np.unique(record, return_index=True)
    first[record] = points[index]
    return first


def _blank(text: _Text, records: _Records) -> Mask:
    """Records that are empty or only whitespace: no separator, no quote, no text."""
    no_quote = np.searchsorted(text.quotes, records.start) == np.searchsorted(text.quotes, records.stop)
    candidate = np.flatnonzero((records.n_fields == 1) & no_quote)
    blank = np.zeros(records.start.size, bool)
    if candidate.size:
        lines = TextSlices(text.buffer, records.start[candidate], records.end[candidate]).take()
        is_blank = pc.or_(pc.equal(pc.binary_length(lines), 0), pc.utf8_is_space(lines))
        blank[candidate] = np.asarray(is_blank.to_numpy(zero_copy_only=False), bool)
    return blank


def _header_record(landed: LandedFile, records: _Records, blank: Mask, fields: tuple[Field, ...]) -> int:
    """The first record that is not blank."""
    nonblank = np.flatnonzero(~blank)
    if nonblank.size == 0:
        expected = landed.source.delimiter.join(f.file_name for f in fields)
        raise FileFormatError(landed.path, f"empty file: no header row (expected the header {expected})")
    header = int(nonblank[0])
    if records.unterminated[header]:
        raise FileFormatError(landed.path, "header row: a quoted column name is never closed")
    return header


def _header_names(text: _Text, records: _Records, header: int) -> list[str]:
    """The header's column names, unquoted, without surrounding whitespace."""
    line = text.data[records.start[header] : records.end[header]].decode("utf-8")
    row = next(csv.reader(io.StringIO(line, newline=""), delimiter=chr(text.sep), quotechar='"'))
    return [name.strip() for name in row]


def _columns_by_field(landed: LandedFile, names: list[str], fields: tuple[Field, ...]) -> list[int]:
    """Each field's column in the file: the header may order them as it likes."""
    expected = [f.file_name for f in fields]
    missing = [name for name in expected if name not in names]
    unexpected = [name for name in names if name not in expected]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if missing or unexpected or repeated:
        sep = landed.source.delimiter
        problems = [
            f"{label} {', '.join(value or '(empty)' for value in values)}"
            for label, values in (("missing", missing), ("unexpected", unexpected), ("repeated", repeated))
            if values
        ]
        hint = ""
        if len(names) == 1 and any(other in names[0] for other in ",;\t|" if other != sep):
            hint = f" (the separator of {landed.source.name} is {sep!r})"
        raise FileFormatError(
            landed.path,
            f"header does not match {landed.source.name}: {'; '.join(problems)}{hint}; "
            f"expected {sep.join(expected)}; found {sep.join(names)}",
        )
    return [names.index(name) for name in expected]


def _split_swallowed_lines(
    text: _Text, records: _Records, header_start: int, blank: Mask, n_fields: int
) -> _Records:
    """Read bad rows spanning several lines line by line where that yields a good row."""
    suspect = np.flatnonzero(~records.good(n_fields) & ~blank & (records.start > header_start))
    start, stop = records.start[suspect], records.stop[suspect]
    suspect = suspect[text.lines_before(stop) > text.lines_before(start)]
    if suspect.size == 0:
        return records
    spans = (records.start[suspect], records.stop[suspect])
    retried = _scan(text, spans)
    good_start = retried.start[retried.good(n_fields)]
    span = np.searchsorted(spans[0], good_start, side="right") - 1
    in_span = (span >= 0) & (good_start <= spans[1][np.maximum(span, 0)])
    keep = np.zeros(suspect.size, bool)
    keep[span[in_span]] = True
    if keep.all():
        return retried
    if not keep.any():
        return records
    return _scan(text, (spans[0][keep], spans[1][keep]))


def _table(
    text: _Text,
    records: _Records,
    rows: Positions,
    fields: tuple[Field, ...],
    names: list[str],
    columns: list[int],
) -> pa.Table:
    """The reader's table for the data records `rows`."""
    values = _FieldValues(text, records, rows, len(names))
    texts = blank_to_null([values.column(column) for column in columns])
    by_name = {f.name: column for f, column in zip(fields, texts, strict=True)}
    raw = TextSlices(text.buffer, records.start[rows], records.end[rows]).take()
    line_numbers = text.lines_before(records.start[rows]) + 1
    return assemble(fields, by_name, line_numbers, raw, _errors(records, rows, names))


class _FieldValues:
    """The fields of the rows by the file's column: the text of good rows, else null."""

    def __init__(self, text: _Text, records: _Records, rows: Positions, n_fields: int) -> None:
        good = records.good(n_fields)[rows]
        starts, ends = _field_bounds(records, rows[good], n_fields)
        self.escaped = np.zeros(starts.shape, bool)
        if text.quotes.size:
            first_byte = text.buf[np.minimum(starts, len(text.buf) - 1)]
            quoted = (ends > starts) & (first_byte == _QUOTE)
            starts += quoted
            ends -= quoted
            # Inside quotes only pairs `""` are left, each a literal `"`: unescape where any is.
            first_quote = np.searchsorted(text.quotes, starts[quoted])
            self.escaped[quoted] = np.searchsorted(text.quotes, ends[quoted]) > first_quote
        self.slices = TextSlices(text.buffer, starts.ravel(), ends.ravel())
        self.n_fields = n_fields
        self.good = good
        self.first_slice = np.full(rows.size, -1, np.int64)
        self.first_slice[good] = np.arange(0, starts.size, n_fields, dtype=np.int64)

    def column(self, column: int) -> pa.Array:
        """The column's texts (an empty field is left for blank_to_null)."""
        values = self.slices.take(np.where(self.first_slice >= 0, self.first_slice + column, -1))
        if self.escaped[:, column].any():
            escaped = np.zeros(self.good.size, bool)
            escaped[self.good] = self.escaped[:, column]
            unescaped = pc.replace_substring(values.filter(escaped), '""', '"')
            values = pc.replace_with_mask(values, escaped, unescaped)
        return values


def _field_bounds(records: _Records, rows: Positions, n_fields: int) -> tuple[Positions, Positions]:
    """Start and end of every field of the (good) rows, a row of the matrices each."""
    starts = np.empty((rows.size, n_fields), np.int64)
    ends = np.empty((rows.size, n_fields), np.int64)
    starts[:, 0] = records.start[rows]
    ends[:, -1] = records.end[rows]
    if n_fields > 1:
        # Each separator outside quotes belongs to one record, in order: keep the rows' ones.
        of_rows = np.zeros(records.start.size, bool)
        of_rows[rows] = True
        seps = records.out_seps[np.repeat(of_rows, records.sep_hi - records.sep_lo)]
        seps = seps.reshape(rows.size, n_fields - 1)
        starts[:, 1:] = seps + 1
        ends[:, :-1] = seps
    return starts, ends


def _errors(records: _Records, rows: Positions, names: list[str]) -> pa.Array:
    """`_structure_error` of the rows: the first problem found, or null."""
    texts: list[str] = []

    def code_of(message: str) -> int:
        texts.append(message)
        return len(texts) - 1

    codes = np.full(rows.size, -1, np.int32)
    bad_close = records.bad_close[rows]
    at = np.flatnonzero(bad_close >= 0)
    if at.size:
        field = np.searchsorted(records.out_seps, bad_close[at]) - records.sep_lo[rows[at]]
        for number in np.unique(field):
            name = f" ({names[number]})" if number < len(names) else ""
            codes[at[field == number]] = code_of(f"field {number + 1}{name}: text after the closing quote")
    found = records.n_fields[rows]
    wrong = found != len(names)
    for count in np.unique(found[wrong]):
        codes[wrong & (found == count)] = code_of(f"expected {len(names)} fields, found {count}")
    unterminated = records.unterminated[rows]
    if unterminated.any():
        codes[unterminated] = code_of("unterminated quoted field")
    return messages(codes, texts)
