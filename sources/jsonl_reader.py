"""JSON Lines exports (aptj_b): one JSON object a line, UTF-8.

A JSON string cannot hold a raw line end, so every non-blank physical line is one record.
The lines are cut out with numpy and handed to DuckDB as one Arrow column; DuckDB parses
each line twice, vectorised: `json_type` of every path at once, and `from_json` into a
struct of text (a third time, `json_valid`, only in a file that has an invalid line). The
rest (which rows are bad and why, the diagnoses split by system) is Arrow and numpy work
on whole columns.

Scalars come out as their text: strings decoded, `true`/`false` as such, integers verbatim,
other numbers as DuckDB prints them (`2.50` becomes `2.5`, `1e3` `1000.0`); JSON null and
an absent key are null. DuckDB's parser is lenient in two ways: it accepts a trailing comma
and `NaN`/`Infinity`.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from contracts.fields import FIELDS, Field
from sources.base import (
    Mask,
    Positions,
    TextSlices,
    assemble,
    blank_to_null,
    decode_to_utf8,
    messages,
    reader_schema,
    true_mask,
)
from sources.registry import LandedFile

DIAGNOSES = "diagnoses"
# The diagnosis columns and the `system` whose codes fill each (sources.md, aptj_b).
DIAGNOSIS_SYSTEMS: dict[str, str] = {"icd10": "ICD-10", "icpc2": "ICPC-2"}
NOT_VALID_JSON = "not valid JSON"
# Python's own parser says better than DuckDB what is wrong with a line; it runs only on
# the bad lines, and only on this many of them, so a file of garbage stays fast.
EXPLAINED_LINES = 1000

_LF = 10
_CR = 13
_NULL = pa.scalar(None, pa.string())
# What json_type says is at a path, as the small numbers of `_Parsed.kind`.
_ABSENT, _SCALAR, _JSON_NULL, _ARRAY, _OBJECT = range(5)
_KIND_NAMES = pa.array(["NULL", "ARRAY", "OBJECT"], pa.string())  # _JSON_NULL onwards


@functools.cache
def _database(pid: int) -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per process (keyed by pid: a forked child makes its own).

    Connecting costs more than reading a day's file; each read takes its own cursor, so
    threads do not share one connection. One DuckDB thread: a day's file is a few hundred
    lines, too few to share out, and on a busy machine waiting for workers cost more than
    they gave (measured on 40 aptj_b files: median 17 ms a file with one thread, 23 with two).
    """
    del pid
    return duckdb.connect(":memory:", config={"threads": 1})


def read_jsonl(landed: LandedFile) -> pa.Table:
    """Read one JSON Lines export into the reader's table (see sources.base)."""
    fields = FIELDS[landed.source.name]
    data = decode_to_utf8(landed)
    lines, line_numbers = _lines(data)
    if len(lines) == 0:
        return reader_schema(fields).empty_table()
    parsed = _Parsed(lines, fields)
    codes, texts = parsed.errors()
    texts_by_field = blank_to_null([parsed.value(f) for f in fields], null_rows=codes >= 0)
    values = {f.name: column for f, column in zip(fields, texts_by_field, strict=True)}
    return assemble(fields, values, line_numbers, lines, messages(codes, texts))


def _lines(data: bytes) -> tuple[pa.Array, Positions]:
    """The non-blank lines without their line ends, and their line numbers (from 1)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    size = buf.size
    lf = np.flatnonzero(buf == _LF)
    start = np.concatenate([[0], lf + 1]).astype(np.int64)
    stop = np.concatenate([lf, [size]]).astype(np.int64)
    if start[-1] == size:  # the line end after the last line starts no further line
        start, stop = start[:-1], stop[:-1]
    end = stop - ((stop > start) & (buf[np.maximum(stop - 1, 0)] == _CR))
    lines = TextSlices(pa.py_buffer(data), start, end).take()
    keep = ~true_mask(pc.or_(pc.equal(pc.binary_length(lines), 0), pc.utf8_is_space(lines)))
    return lines.filter(pa.array(keep)), (np.flatnonzero(keep) + 1).astype(np.int64)


def _struct_schema(fields: tuple[Field, ...]) -> dict[str, Any]:
    """The `from_json` structure: every path as text, diagnoses as a list of pairs."""
    schema: dict[str, Any] = {}
    for f in fields:
        if f.file_name == DIAGNOSES:
            schema[DIAGNOSES] = [{"system": "VARCHAR", "code": "VARCHAR"}]
            continue
        *parents, leaf = f.file_name.split(".")
        node = schema
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = "VARCHAR"
    return schema


class _Parsed:
    """The lines as DuckDB parsed them: validity, what is at each path, the values."""

    def __init__(self, lines: pa.Array, fields: tuple[Field, ...]) -> None:
        self.lines = lines
        self.leaves = list(dict.fromkeys(f.file_name for f in fields if f.file_name != DIAGNOSES))
        self.parents = list(dict.fromkeys(p.rsplit(".", 1)[0] for p in self.leaves if "." in p))
        self.paths = ["", *self.parents, DIAGNOSES, *self.leaves]
        json_paths = ", ".join(f"'$.{p}'" if p else "'$'" for p in self.paths)
        schema = json.dumps(_struct_schema(fields))
        types = f"json_type(line, [{json_paths}])"
        struct = f"from_json(line, '{schema}')"  # a line that is no object gives an empty struct
        # Most files have no invalid line, and parsing it once less is a third faster; the
        # query guarded by json_valid runs only when that one fails on a line.
        fast = f"select n, true as valid, {types} as types, {struct} as s from lines"
        guarded = f"""
            select n, valid, case when valid then {types} end as types, case when valid then {struct} end as s
            from (select n, line, json_valid(line) as valid from lines)
        """
        table = pa.table({"n": pa.array(np.arange(len(lines), dtype=np.int64)), "line": lines})
        with _database(os.getpid()).cursor() as cursor:
            cursor.register("lines", table)
            try:
                result = cursor.sql(fast).to_arrow_table().combine_chunks()
            except duckdb.Error:
                result = cursor.sql(guarded).to_arrow_table().combine_chunks()
        # DuckDB keeps the input's order in a plain projection; the row number proves it
        # (an ORDER BY would cost a fifth of the query).
        order = result.column("n").to_numpy()
        if not np.array_equal(order, np.arange(len(lines))):
            result = result.take(pa.array(np.argsort(order))).combine_chunks()
        self.valid = true_mask(result.column("valid"))
        self.kind = self._kinds(result.column("types").chunk(0))
        self.struct = result.column("s").chunk(0)

    def _kinds(self, types: pa.Array) -> NDArray[np.int8]:
        """A row per line, a column per path: _ABSENT, _SCALAR, _JSON_NULL, _ARRAY or _OBJECT."""
        kind = np.full((len(types), len(self.paths)), _ABSENT, np.int8)
        flat = pc.list_flatten(types)  # the valid lines' lists, one entry per path
        named = pc.fill_null(pc.index_in(flat, value_set=_KIND_NAMES), -1).to_numpy()
        present = true_mask(pc.is_valid(flat))
        codes = np.where(present, np.where(named < 0, _SCALAR, named + _JSON_NULL), _ABSENT)
        kind[self.valid] = codes.astype(np.int8).reshape(-1, len(self.paths))
        return kind

    def kind_of(self, path: str) -> NDArray[np.int8]:
        """What is at `path` (`""`: the line itself) in each row."""
        return self.kind[:, self.paths.index(path)]

    def value(self, f: Field) -> pa.Array:
        if f.file_name == DIAGNOSES:
            return self.diagnoses.codes(DIAGNOSIS_SYSTEMS[f.name])
        return pc.struct_field(self.struct, f.file_name.split("."))

    @functools.cached_property
    def diagnoses(self) -> _Diagnoses:
        return _Diagnoses(pc.struct_field(self.struct, [DIAGNOSES]))

    def errors(self) -> tuple[NDArray[np.int32], list[str]]:
        """`_structure_error` as codes into texts (-1: none): the first problem of each row."""
        texts: list[str] = []
        codes = np.full(len(self.lines), -1, np.int32)

        def mark(rows: Mask, message: str) -> None:
            # Later marks win: the least important problem is marked first.
            if rows.any():
                texts.append(message)
                codes[rows] = len(texts) - 1

        for path in reversed(self.leaves):
            mark(self.kind_of(path) >= _ARRAY, f"{path} is an object or a list, not a value")
        expected = " or ".join(DIAGNOSIS_SYSTEMS.values())
        for system, rows in self.diagnoses.unknown_systems().items():
            mark(rows, f"{DIAGNOSES} has the unknown system {system!r} (expected {expected})")
        diagnoses = self.kind_of(DIAGNOSES)
        not_list = ((diagnoses == _SCALAR) | (diagnoses == _OBJECT)) | self.diagnoses.malformed()
        mark(not_list, f"{DIAGNOSES} is not a list of {{system, code}}")
        for parent in reversed(self.parents):
            kind = self.kind_of(parent)
            mark((kind == _SCALAR) | (kind == _ARRAY), f"{parent} is not an object")
        mark(self.valid & (self.kind_of("") != _OBJECT), "not a JSON object")
        mark(~self.valid, NOT_VALID_JSON)
        self._explain(np.flatnonzero(~self.valid)[:EXPLAINED_LINES], codes, texts)
        return codes, texts

    def _explain(self, rows: Positions, codes: NDArray[np.int32], texts: list[str]) -> None:
        """Say for these invalid lines what Python's parser finds wrong."""
        lines = self.lines.take(pa.array(rows, pa.int64())).to_pylist()
        for row, line in zip(rows, lines, strict=True):
            texts.append(_why_invalid(line))
            codes[row] = len(texts) - 1


class _Diagnoses:
    """The rows' `diagnoses` lists, flattened to one {system, code} element each."""

    def __init__(self, lists: pa.Array) -> None:
        self.n_rows = len(lists)
        self.row = np.asarray(pc.list_parent_indices(lists).to_numpy(), np.int64)
        elements = pc.list_flatten(lists)
        self.present = true_mask(pc.is_valid(elements))
        self.system = pc.struct_field(elements, ["system"])
        self.code = pc.struct_field(elements, ["code"])

    def _rows(self, elements: Mask) -> Mask:
        rows = np.zeros(self.n_rows, bool)
        rows[self.row[elements]] = True
        return rows

    def malformed(self) -> Mask:
        """Rows with an element that is not an object holding a system and a code."""
        complete = self.present & true_mask(pc.is_valid(self.system)) & true_mask(pc.is_valid(self.code))
        return self._rows(~complete)

    def unknown_systems(self) -> dict[str, Mask]:
        """Each system outside DIAGNOSIS_SYSTEMS, with the rows where it is the first such."""
        known = pa.array(list(DIAGNOSIS_SYSTEMS.values()), pa.string())
        unknown = pc.and_(pc.is_valid(self.system), pc.invert(pc.is_in(self.system, value_set=known)))
        elements = np.flatnonzero(true_mask(unknown))
        if elements.size == 0:
            return {}
        rows, first = np.unique(self.row[elements], return_index=True)
        systems = np.array(self.system.take(pa.array(elements[first], pa.int64())).to_pylist(), dtype=object)
        found: dict[str, Mask] = {}
        for system in dict.fromkeys(systems.tolist()):
            found[str(system)] = np.zeros(self.n_rows, bool)
            found[str(system)][rows[systems == system]] = True
        return found

    def codes(self, system: str) -> pa.Array:
        """Per row, the codes of `system` joined by ',' in list order; null when none."""
        of_system = true_mask(pc.equal(self.system, system))
        counts = np.bincount(self.row[of_system], minlength=self.n_rows)
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
        lists = pa.ListArray.from_arrays(pa.array(offsets), self.code.filter(pa.array(of_system)))
        return pc.if_else(pa.array(counts > 0), pc.binary_join(lists, ","), _NULL)


def _why_invalid(line: str) -> str:
    try:
        json.loads(line)
    except json.JSONDecodeError as err:
        return f"{NOT_VALID_JSON}: {err.msg} at column {err.colno}"
    return NOT_VALID_JSON
