"""What a generation wrote: files, row counts, every deliberately bad row, every scenario."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Rule ids of the project (sources.md, indicators.md) that the generator injects.
BLOCKING_RULES: tuple[str, ...] = (
    "row_structure",
    "required_present",
    "hetu_valid",
    "key_format",
    "value_parses",
    "code_in_list",
    "value_in_range",
)
QUALITY_RULES: tuple[str, ...] = (
    "times_in_order",
    "optional_value_valid",
    "dg_recorded",
    "assessment_recorded",
)


@dataclass(frozen=True, order=True)
class InjectedFault:
    """One deliberately bad row.

    `line_number` is the physical line where the row starts (a CSV header is line 1; line
    ends inside quoted fields count). `column` is the contract field name
    (`contracts.fields.Field.name`, e.g. `patient_ssn` for aptj_b), None for a fault of the
    whole row (a truncated line, a missing diagnosis in both diagnosis fields).
    """

    source: str
    file_name: str
    line_number: int
    rule_id: str
    column: str | None


@dataclass(frozen=True)
class GenerationReport:
    """The outcome of `generate_county`.

    `files`: every file written, sorted. `rows`: data rows written per source name of
    `sources.registry` (a re-sent copy and a truncated last line count as rows).
    `faults`: every deliberately bad row, sorted. `scenarios`: scenario name -> where it was
    placed, each entry either `dir/file` (a whole file) or `dir/file:line` (a row starting
    on that physical line); the docstring of `sotevault.synthetic.county` lists the names and
    what the entries of each mean. No clear hetu appears anywhere in the report.
    """

    files: list[Path]
    rows: dict[str, int]
    faults: list[InjectedFault]
    scenarios: dict[str, list[str]] = field(default_factory=dict)
