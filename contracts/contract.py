"""A source's contract: its fields and rules as a pandera schema, and what validating gives.

`Contract.validate` runs the pandera schema over the text rows a reader produced (all files
of one batch at once, so the cost is per batch, not per file) and returns, for every row,
every rule it breaks, and per file and rule how many rows were checked and failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandera.polars as pa
import polars as pl

from contracts.fields import FIELDS, Field, Kind
from contracts.kinds import parsed
from contracts.rules import STRUCTURE_ERROR, STRUCTURE_RULE, Rule, Severity, field_rules

ROW = "_row"
FILE = "_file_name"
LINE = "_line_number"  # the reader's physical line number (sources.base)
REASONS = "_reasons"
BLOCKED = "_blocked"


@dataclass(frozen=True)
class Contract:
    source: str
    row_rules: tuple[Rule, ...] = ()
    fields: tuple[Field, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", FIELDS[self.source])

    @cached_property
    def rules(self) -> tuple[Rule, ...]:
        derived = [rule for f in self.fields for rule in field_rules(f)]
        rules = (STRUCTURE_RULE, *derived, *self.row_rules)
        keys = [r.key for r in rules]
        assert len(keys) == len(set(keys)), f"{self.source}: duplicate rule keys {keys}"
        return rules

    @cached_property
    def rules_by_key(self) -> dict[str, Rule]:
        return {rule.key: rule for rule in self.rules}

    @property
    def hetu_field(self) -> Field | None:
        return next((f for f in self.fields if f.kind is Kind.HETU), None)

    @cached_property
    def schema(self) -> pa.DataFrameSchema:
        """The pandera schema: text columns, one dataframe-wide check per rule."""
        columns = {f.name: pa.Column(pl.String, nullable=True) for f in self.fields}
        columns[STRUCTURE_ERROR] = pa.Column(pl.String, nullable=True)
        checks = [
            pa.Check(_check_fn(rule), name=rule.key, error=rule.key, description=rule.message)
            for rule in self.rules
        ]
        return pa.DataFrameSchema(columns, checks=checks, name=f"contract_{self.source}", strict=False)

    def validate(self, rows: pl.DataFrame) -> Validation:
        """Check every row; `rows` holds the reader's columns and `_file_name`."""
        rows = rows.with_row_index(ROW)
        failures = self._failures(rows)
        reasons = (
            failures.join(pl.DataFrame({"key": list(self.rules_by_key)}), on="key", how="semi")
            .with_columns(
                pl.col("key").replace_strict(self._reason_text(), return_dtype=pl.String).alias("reason"),
                pl.col("key").replace_strict(self._blocking(), return_dtype=pl.Boolean).alias("blocking"),
            )
            .group_by(ROW)
            .agg(pl.col("reason").sort().alias(REASONS), pl.col("blocking").any().alias(BLOCKED))
        )
        checked = (
            rows.with_columns(
                [(rule.applies().fill_null(False)).alias(f"_applies:{rule.key}") for rule in self.rules]
            )
            .join(reasons, on=ROW, how="left")
            .with_columns(
                pl.col(REASONS).fill_null(pl.lit([], dtype=pl.List(pl.String))),
                pl.col(BLOCKED).fill_null(False),
            )
        )
        return Validation(self, checked, failures)

    def _failures(self, rows: pl.DataFrame) -> pl.DataFrame:
        """One row per (row index, rule key) that fails, from pandera's failure cases."""
        try:
            self.schema.validate(rows, lazy=True)
        except pa.errors.SchemaErrors as errors:
            cases: pl.DataFrame = errors.failure_cases
            if "index" not in cases.columns or cases["index"].null_count() > 0:
                raise  # a schema-level error (missing column, wrong dtype): a bug, not bad data
            found: pl.DataFrame = cases.select(
                pl.col("index").cast(pl.UInt32).alias(ROW), pl.col("check").alias("key")
            ).unique()
            return found
        return pl.DataFrame(schema={ROW: pl.UInt32, "key": pl.String})

    def _reason_text(self) -> dict[str, str]:
        return {rule.key: rule.reason for rule in self.rules}

    def _blocking(self) -> dict[str, bool]:
        return {rule.key: rule.severity is Severity.BLOCKING for rule in self.rules}

    def typed(self, rows: pl.DataFrame) -> pl.DataFrame:
        """The typed values of every field (what the raw table holds)."""
        return rows.with_columns([parsed(f).alias(f.name) for f in self.fields])


def _check_fn(rule: Rule):  # type: ignore[no-untyped-def]
    def check(data: pa.PolarsData) -> pl.LazyFrame:
        ok = ~rule.applies().fill_null(False) | rule.passes().fill_null(False)
        return data.lazyframe.select(ok.alias(rule.key))

    return check


@dataclass(frozen=True)
class Validation:
    contract: Contract
    rows: pl.DataFrame  # input rows + _row, _applies:<key> flags, _reasons, _blocked
    failures: pl.DataFrame  # (_row, key) for every failed check

    @property
    def passed(self) -> pl.DataFrame:
        return self.rows.filter(~pl.col(BLOCKED))

    @property
    def quarantined(self) -> pl.DataFrame:
        return self.rows.filter(pl.col(BLOCKED))

    def rule_counts(self) -> pl.DataFrame:
        """Per file and rule id: rows checked and rows failing (a row counts once per rule id)."""
        rules = self.contract.rules
        rule_of = {r.key: r.rule_id for r in rules}
        by_rule: dict[str, list[str]] = {}
        for rule in rules:
            by_rule.setdefault(rule.rule_id, []).append(f"_applies:{rule.key}")
        checked = (
            self.rows.group_by(FILE)
            .agg([pl.any_horizontal(cols).sum().alias(rule_id) for rule_id, cols in by_rule.items()])
            .unpivot(index=FILE, variable_name="rule_id", value_name="records_checked")
        )
        failing = (
            self.failures.with_columns(
                pl.col("key").replace_strict(rule_of, return_dtype=pl.String).alias("rule_id")
            )
            .select(ROW, "rule_id")
            .unique()
            .join(self.rows.select(ROW, FILE), on=ROW)
            .group_by(FILE, "rule_id")
            .agg(pl.len().alias("records_failing"))
        )
        severity = {r.rule_id: r.severity.value for r in rules}
        return (
            checked.join(failing, on=[FILE, "rule_id"], how="left")
            .select(
                FILE,
                "rule_id",
                pl.col("rule_id").replace_strict(severity, return_dtype=pl.String).alias("severity"),
                pl.col("records_checked").cast(pl.Int64),
                pl.col("records_failing").fill_null(0).cast(pl.Int64),
            )
            .sort(FILE, "rule_id")
        )

    def file_counts(self) -> pl.DataFrame:
        """Per file: rows read and rows quarantined (a file without rows has no row here)."""
        return self.rows.group_by(FILE).agg(
            pl.len().cast(pl.Int64).alias("rows_read"),
            pl.col(BLOCKED).sum().cast(pl.Int64).alias("rows_quarantined"),
        )

    def failing_lines(self, first: int) -> pl.DataFrame:
        """Per file and failing rule id: the columns it failed on and its first `first` lines.

        `columns` are the fields whose check of that rule failed (empty for a rule of the whole
        row); `first_lines` the ascending physical line numbers of the failing rows, each row
        once, at most `first` of them. Only rules failing somewhere have a row here; how many
        rows fail is `rule_counts`' `records_failing`. Never a value: it may be a hetu. The rows
        validated must hold the reader's `_line_number`.
        """
        rules = self.contract.rules
        rule_of = {r.key: r.rule_id for r in rules}
        column_of = {r.key: r.column for r in rules}
        return (
            self.failures.with_columns(
                pl.col("key").replace_strict(rule_of, return_dtype=pl.String).alias("rule_id"),
                pl.col("key").replace_strict(column_of, return_dtype=pl.String).alias("column"),
            )
            .join(self.rows.select(ROW, FILE, LINE), on=ROW)
            .group_by(FILE, "rule_id")
            .agg(
                pl.col("column").drop_nulls().unique().sort().alias("columns"),
                pl.col(LINE).unique().sort().head(first).alias("first_lines"),
            )
            .sort(FILE, "rule_id")
        )
