"""What `sotevault validate` found: per file, rows and rules; and the exit status it means.

A report holds no value of any row: rule ids, columns, counts and line numbers only, and every
part of a path or reader message shaped like a personal identity code is masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from contracts.rules import RULE_DESCRIPTIONS, Severity
from sotevault.hetu import HETU_SHAPE_RE

EXIT_CLEAN = 0
EXIT_WOULD_QUARANTINE = 1
EXIT_UNREADABLE = 2

OK = "ok"
WOULD_QUARANTINE = "would_quarantine"
UNREADABLE = "unreadable"

HETU_MASK = "[hetu-shaped text]"


def without_hetus(text: str) -> str:
    """The text with every part shaped like a hetu (valid or not) masked."""
    return HETU_SHAPE_RE.sub(HETU_MASK, text)


@dataclass(frozen=True)
class RuleReport:
    """One rule of a file's contract: rows checked and failing, where, and in which columns.

    `first_lines`: the physical line numbers of the first failing rows, ascending (at most
    the report's `first_lines`); `columns`: the fields whose check of the rule failed.
    """

    rule_id: str
    severity: str
    records_checked: int
    records_failing: int
    columns: tuple[str, ...] = ()
    first_lines: tuple[int, ...] = ()

    @property
    def blocking(self) -> bool:
        return self.severity == Severity.BLOCKING.value

    @property
    def description(self) -> str:
        return RULE_DESCRIPTIONS.get(self.rule_id, "")


@dataclass(frozen=True)
class FileReport:
    """One file: which source it is read as, and what a load of it would do.

    `error` says why the file cannot be read as any source at all (no source matches its
    name, wrong encoding, not the format); such a file has no rows and no rules. `path` is
    the file as given or found, hetu-shaped parts masked.
    """

    path: str
    source: str | None
    rows_read: int = 0
    rows_would_quarantine: int = 0
    rules: tuple[RuleReport, ...] = ()
    error: str | None = None

    @property
    def file_name(self) -> str:
        return PurePath(self.path).name

    @property
    def rows_would_load(self) -> int:
        return self.rows_read - self.rows_would_quarantine

    @property
    def status(self) -> str:
        if self.error is not None:
            return UNREADABLE
        return WOULD_QUARANTINE if self.rows_would_quarantine else OK

    @property
    def failing_rules(self) -> tuple[RuleReport, ...]:
        return tuple(rule for rule in self.rules if rule.records_failing)


@dataclass(frozen=True)
class ValidationReport:
    """Every file validated, in the order given (a directory's files in landing order).

    `first_lines` is how many line numbers each rule lists at most.
    """

    files: tuple[FileReport, ...]
    first_lines: int

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    def total(self, rows: str) -> int:
        """The sum over files of `rows_read`, `rows_would_load` or `rows_would_quarantine`."""
        return sum(int(getattr(f, rows)) for f in self.files)

    @property
    def exit_code(self) -> int:
        """2 when a file cannot be read as its source, else 1 when rows would be quarantined, else 0."""
        if self.count(UNREADABLE):
            return EXIT_UNREADABLE
        return EXIT_WOULD_QUARANTINE if self.count(WOULD_QUARANTINE) else EXIT_CLEAN
