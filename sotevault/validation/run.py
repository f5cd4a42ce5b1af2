"""Validate files as ingestion would load them, without opening the warehouse.

Each file is read by its source's reader and checked by its source's contract, the files of
one source together in one batch (`sotevault.ingest.check`, the code ingestion runs), so the
figures are those a load of the same files writes to `audit.load_files`,
`audit.rule_results` and `audit.quarantine`. Only the file's content is judged: whether the
warehouse already holds it (a re-send, a changed file) is for `sotevault run` to say.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from contracts.contract import FILE
from sotevault.ingest.check import check_batch, read_files, unreadable_reason
from sotevault.validation.report import FileReport, RuleReport, ValidationReport, without_hetus
from sources.base import FileFormatError
from sources.registry import LandedFile, UnrecognisedFileError, discover, is_ignored, recognise_by_name

FIRST_LINES = 5


@dataclass(frozen=True)
class NotAnExport:
    """A path given or found that is no source's export, and why."""

    path: Path
    reason: str


Selected = LandedFile | NotAnExport


def validate_paths(paths: Sequence[Path], first_lines: int = FIRST_LINES) -> ValidationReport:
    """Validate files and directories.

    A directory is read as a landing directory (`<source>/<file>`, as `run` finds files);
    one without such files but with files of its own (`/tmp/out/`, `LANDING/aptj_a/`)
    stands for those files. A file outside a source directory is recognised by its name. A
    path given twice, or a file both given and found in a directory, is validated once.
    """
    selected = select_files(paths)
    reports: dict[Path, FileReport] = {
        item.path: FileReport(_shown(item.path), None, error=without_hetus(item.reason))
        for item in selected
        if isinstance(item, NotAnExport)
    }
    for batch in _batches([item for item in selected if isinstance(item, LandedFile)]):
        reports.update(_check(batch, first_lines))
    return ValidationReport(tuple(reports[item.path] for item in selected), first_lines)


def select_files(paths: Sequence[Path]) -> list[Selected]:
    """Every file to validate, in the order given, each once."""
    selected: list[Selected] = []
    seen: set[Path] = set()
    for given in paths:
        for item in _files_at(given):
            if item.path.resolve() not in seen:
                seen.add(item.path.resolve())
                selected.append(item)
    return selected


def _files_at(given: Path) -> list[Selected]:
    """A landing directory's files (as `run` finds them), else a directory's own files, or a file."""
    if not given.is_dir():
        return [_file_at(given)]
    found, unknown = discover(given)
    if found or unknown:
        return [*found, *(NotAnExport(path, why) for path, why in unknown)]
    own = sorted(path for path in given.iterdir() if path.is_file() and not is_ignored(path))
    if own:
        return [_file_at(path) for path in own]
    return [NotAnExport(given, "no export files here (a landing directory holds <source>/<file>)")]


def _file_at(path: Path) -> Selected:
    if not path.exists():
        return NotAnExport(path, "no such file or directory")
    try:
        return recognise_by_name(path)
    except UnrecognisedFileError as err:
        return NotAnExport(path, str(err))


def _batches(files: list[LandedFile]) -> list[list[LandedFile]]:
    """One batch per source, split further only where two files share a name (from two places)."""
    batches: dict[tuple[str, int], list[LandedFile]] = {}
    copies: Counter[tuple[str, str]] = Counter()
    for landed in files:
        name = (landed.source.name, landed.file_name)
        batches.setdefault((landed.source.name, copies[name]), []).append(landed)
        copies[name] += 1
    return list(batches.values())


def _check(files: list[LandedFile], first_lines: int) -> dict[Path, FileReport]:
    """Read and check one batch of one source's files."""
    source = files[0].source.name
    tables, unreadable = read_files(files)
    reports = {
        landed.path: FileReport(_shown(landed.path), source, error=_shown_reason(landed, err))
        for landed, err in unreadable
    }
    if not tables:
        return reports
    checked = check_batch(source, tables)
    counts = checked.counts()
    rules = _rule_reports(checked.validation.rule_counts(), checked.validation.failing_lines(first_lines))
    for landed, _ in tables:
        count = counts[landed.file_name]
        reports[landed.path] = FileReport(
            _shown(landed.path),
            source,
            rows_read=count.rows_read,
            rows_would_quarantine=count.rows_quarantined,
            rules=rules.get(landed.file_name, ()),
        )
    return reports


def _rule_reports(counts: pl.DataFrame, lines: pl.DataFrame) -> dict[str, tuple[RuleReport, ...]]:
    """Per file name, every rule of the contract with its counts (and lines, where it fails)."""
    joined = counts.join(lines, on=[FILE, "rule_id"], how="left").sort(FILE, "rule_id")
    found: dict[str, list[RuleReport]] = {}
    for row in joined.iter_rows(named=True):
        found.setdefault(row[FILE], []).append(
            RuleReport(
                rule_id=row["rule_id"],
                severity=row["severity"],
                records_checked=int(row["records_checked"]),
                records_failing=int(row["records_failing"]),
                columns=tuple(row["columns"] or ()),
                first_lines=tuple(int(n) for n in row["first_lines"] or ()),
            )
        )
    return {name: tuple(rules) for name, rules in found.items()}


def _shown(path: Path) -> str:
    return without_hetus(str(path))


def _shown_reason(landed: LandedFile, err: FileFormatError) -> str:
    # The path is shown beside the reason already. The reader quotes a header that is not one
    # back (a file without its header row): it may hold a hetu.
    return without_hetus(unreadable_reason(landed, err.reason))
