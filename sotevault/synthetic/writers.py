"""Landed files out of row tables: CSV and JSONL bytes exactly as sources.md describes.

A `SourceFrame` holds one source's rows as text (blank = null) in the columns of
`contracts.fields`, plus `_file` (the file it goes to), `_tag` (scenario tags) and, once
numbered, `_line` (the physical line where the row starts). Rows are in file order.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from contracts.fields import FIELDS, Field, Kind
from sources.registry import SOURCES_BY_NAME, FileFormat, SourceSpec

FILE = "_file"
TAG = "_tag"
LINE = "_line"


@dataclass(frozen=True)
class SourceFrame:
    source: str
    frame: pl.DataFrame
    file_names: tuple[str, ...]  # every file to write, in name order, empty ones too

    @property
    def spec(self) -> SourceSpec:
        return SOURCES_BY_NAME[self.source]

    @property
    def fields(self) -> tuple[Field, ...]:
        return FIELDS[self.source]

    def path(self, file_name: str) -> str:
        """The file's place under the landing directory, as the report names it."""
        return f"{self.spec.directory}/{file_name}"


def numbered(source: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Add `_line`: the physical line of each row (CSV header = line 1; quoted line ends count)."""
    spec = SOURCES_BY_NAME[source]
    names = [f.name for f in FIELDS[source]]
    header = 1 if spec.file_format is FileFormat.CSV else 0
    if spec.file_format is FileFormat.CSV:
        breaks = pl.sum_horizontal(
            [pl.col(n).str.count_matches("\n", literal=True).fill_null(0) for n in dict.fromkeys(names)]
        )
    else:
        breaks = pl.lit(0)  # JSON escapes line ends inside strings
    return (
        frame.with_columns(_breaks=breaks.cast(pl.Int64))
        .with_columns(
            (
                header
                + 1
                + pl.int_range(pl.len(), dtype=pl.Int64).over(FILE)
                + pl.col("_breaks").cum_sum().over(FILE)
                - pl.col("_breaks")
            ).alias(LINE)
        )
        .drop("_breaks")
    )


def csv_bytes(spec: SourceSpec, fields: tuple[Field, ...], rows: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    rows.select([pl.col(f.name).alias(f.file_name) for f in fields]).write_csv(
        buffer,
        separator=spec.delimiter,
        line_terminator="\r\n" if spec.crlf else "\n",
        include_bom=spec.bom,
        quote_style="necessary",
    )
    data = buffer.getvalue()
    return data if spec.encoding == "utf-8" else data.decode("utf-8").encode(spec.encoding)


def jsonl_expression(fields: tuple[Field, ...]) -> pl.Expr:
    """One JSON object per row, keys in field order; `a.b` names nest, `diagnoses` is a list.

    Values are already JSON-safe text (checked in `write_source`); integer and boolean
    fields are written bare, every other field quoted, null as `null`.
    """
    bare = (Kind.INTEGER, Kind.JSON_BOOL)

    def value(f: Field) -> pl.Expr:
        text = pl.col(f.name) if f.kind in bare else pl.concat_str([pl.lit('"'), pl.col(f.name), pl.lit('"')])
        return pl.when(pl.col(f.name).is_null()).then(pl.lit("null")).otherwise(text)

    def diagnoses(group: list[Field]) -> pl.Expr:
        systems = {"icd10": "ICD-10", "icpc2": "ICPC-2"}
        lists = [
            pl.col(f.name)
            .str.split(",")
            .list.eval(
                pl.concat_str(
                    [pl.lit(f'{{"system": "{systems[f.name]}", "code": "'), pl.element(), pl.lit('"}')]
                )
            )
            .list.join(", ")
            for f in group
        ]
        return pl.concat_str(
            [pl.lit("["), pl.concat_str(lists, separator=", ", ignore_nulls=True), pl.lit("]")]
        )

    # Fields sharing a first name part form one key: `patient.ssn` + `patient.municipality`.
    slots: dict[str, list[Field]] = {}
    for f in fields:
        slots.setdefault(f.file_name.split(".")[0], []).append(f)
    parts: list[pl.Expr] = []
    for key, group in slots.items():
        parts.append(pl.lit(f'{", " if parts else ""}"{key}": '))
        if key == "diagnoses":
            parts.append(diagnoses(group))
        elif "." in group[0].file_name:
            parts.append(pl.lit("{"))
            for i, g in enumerate(group):
                parts += [pl.lit(f'{", " if i else ""}"{g.file_name.split(".", 1)[1]}": '), value(g)]
            parts.append(pl.lit("}"))
        else:
            parts.append(value(group[0]))
    return pl.concat_str([pl.lit("{"), *parts, pl.lit("}")])


def jsonl_bytes(fields: tuple[Field, ...], rows: pl.DataFrame) -> bytes:
    if rows.height == 0:
        return b""
    lines = rows.select(jsonl_expression(fields).alias("line"))["line"]
    return ("\n".join(lines.to_list()) + "\n").encode("utf-8")


def write_source(landing: Path, source: SourceFrame) -> list[Path]:
    """Write every file of a source; returns the paths in name order."""
    spec, fields = source.spec, source.fields
    if spec.file_format is FileFormat.JSONL:
        # Values go into JSON unescaped: refuse anything that would need escaping.
        text_columns = [f.name for f in fields]
        bad = source.frame.select(
            pl.any_horizontal(
                [pl.col(c).str.contains(r'["\\\n]').fill_null(False) for c in text_columns]
            ).any()
        ).item()
        if bad:
            raise ValueError(f"{source.source}: a value needs JSON escaping")
    directory = landing / spec.directory
    directory.mkdir(parents=True, exist_ok=True)
    parts = source.frame.partition_by(FILE, as_dict=True, maintain_order=True) if source.frame.height else {}
    empty = source.frame.clear()
    written = []
    for name in source.file_names:
        rows = parts.get((name,), empty)
        data = (
            jsonl_bytes(fields, rows)
            if spec.file_format is FileFormat.JSONL
            else csv_bytes(spec, fields, rows)
        )
        path = directory / name
        path.write_bytes(data)
        written.append(path)
    return written
