"""What a mart suite says: its grain, its roll-ups, and the Great Expectations built from them.

A mart's own columns are checked by built-in expectations directly. Roll-ups and gaps need
more than one row at a time, which built-in expectations on a pandas batch cannot see, so
`frame.read_mart_frame` computes them in DuckDB as extra columns on each row (named below)
and the suite checks those columns with built-in expectations too, rather than with custom
Expectation classes: in GE 1.x those need a metric provider per execution engine and their
own renderers, while a built-in expectation on a computed column is a few lines and renders
in the Data Docs like any other. One frame, one suite and one validation result per mart: the
Data Docs show every check of a mart on one page, the failing rows named by their grain.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from great_expectations.expectations.core.expect_column_pair_values_a_to_be_greater_than_b import (
    ExpectColumnPairValuesAToBeGreaterThanB,
)
from great_expectations.expectations.core.expect_column_pair_values_to_be_equal import (
    ExpectColumnPairValuesToBeEqual,
)
from great_expectations.expectations.core.expect_column_values_to_be_between import (
    ExpectColumnValuesToBeBetween,
)
from great_expectations.expectations.core.expect_column_values_to_be_in_set import ExpectColumnValuesToBeInSet
from great_expectations.expectations.core.expect_column_values_to_be_null import ExpectColumnValuesToBeNull
from great_expectations.expectations.core.expect_column_values_to_not_be_null import (
    ExpectColumnValuesToNotBeNull,
)
from great_expectations.expectations.core.expect_compound_columns_to_be_unique import (
    ExpectCompoundColumnsToBeUnique,
)
from great_expectations.expectations.core.expect_table_columns_to_match_set import (
    ExpectTableColumnsToMatchSet,
)
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.metadata_types import FailureSeverity
from great_expectations.expectations.row_conditions import Column

from sotevault.codelists import codes

# Extra columns computed by frame.read_mart_frame (see the module docstring).
KEYS_MISSING = "keys_missing_in_period"
MONTHS_SINCE_PREVIOUS = "months_since_previous"
DAY_OF_MONTH = "day_of_month"

REGION = "000"
ALL = "ALL"
# A period before 2000 or after next year is a wrong date in a source rather than a wrong
# figure: a warning, where every other failure is critical.
FIRST_SANE_YEAR = 2000


def rollup_column(column: str, key: str) -> str:
    """The extra column holding, on a roll-up row, the sum of `column` over its parts."""
    return f"{column}__sum_over_{key}"


def municipalities() -> tuple[str, ...]:
    """The region's municipalities (seed kunta) and the region itself, `000`."""
    return (*codes("kunta"), REGION)


@dataclass(frozen=True)
class Rollup:
    """On the row with `key = value`, each of `columns` is the sum over the other rows that
    share the rest of the grain (indicators.md § Roll-ups). Only for additive figures."""

    key: str
    value: str
    columns: tuple[str, ...]
    parts: str  # what is summed, for people: "the seven municipalities"


@dataclass(frozen=True)
class MartSuite:
    """One mart's expectations.

    `keys`: the grain besides the period, each with its valid values. `full_grid`: every
    period has a row for every combination of those values; otherwise for every combination
    found in the mart (mds_conformance: the rules each source is checked by).
    `contiguous`: every period from the first to the last is present for every key (months);
    years need not be (a year counts when it has a ledger line or a service).
    """

    mart: str
    period: str
    keys: dict[str, tuple[str, ...]]
    columns: tuple[str, ...]
    rollups: tuple[Rollup, ...] = ()
    checks: tuple[Expectation, ...] = ()
    full_grid: bool = True
    contiguous: bool = True

    @property
    def grain(self) -> tuple[str, ...]:
        return (self.period, *self.keys)

    def expectations(self, today: date) -> list[Expectation]:
        """Every expectation of the suite: the grain's, the roll-ups', then the mart's own."""
        found: list[Expectation] = [
            ExpectTableColumnsToMatchSet(
                column_set=list(self.columns),
                exact_match=False,
                description=f"{self.mart} has every column of indicators.md (it may add more)",
            ),
            ExpectCompoundColumnsToBeUnique(
                column_list=list(self.grain),
                description=f"one row per {' × '.join(self.grain)}",
            ),
            *_period_checks(self.period, today),
        ]
        for key, values in self.keys.items():
            found.append(not_null(key))
            found.append(in_list(key, values))
        combinations = " × ".join(self.keys) + ("" if self.full_grid else " found in the mart")
        found.append(
            ExpectColumnValuesToBeInSet(
                column=KEYS_MISSING,
                value_set=[0],
                description=f"every {self.period} has a row for every {combinations}",
            )
        )
        if self.contiguous:
            found.append(
                ExpectColumnValuesToBeInSet(
                    column=MONTHS_SINCE_PREVIOUS,
                    value_set=[1],
                    description=f"no month missing between the first and the last of each "
                    f"{' × '.join(self.keys)}",
                )
            )
        for rollup in self.rollups:
            rest = [c for c in self.grain if c != rollup.key]
            found.extend(
                ExpectColumnPairValuesToBeEqual(
                    column_A=column,
                    column_B=rollup_column(column, rollup.key),
                    ignore_row_if="either_value_is_missing",
                    description=f"{column} of {rollup.key} {rollup.value} is the sum over "
                    f"{rollup.parts} (per {' × '.join(rest)})",
                )
                for column in rollup.columns
            )
        # Copies: an expectation belongs to the one Great Expectations suite it is added to.
        found.extend(copy.copy(check) for check in self.checks)
        return found


def _period_checks(period: str, today: date) -> list[Expectation]:
    last_year = today.year + 1
    if period == "year":
        return [
            not_null(period),
            ExpectColumnValuesToBeBetween(
                column=period,
                min_value=FIRST_SANE_YEAR,
                max_value=last_year,
                severity=FailureSeverity.WARNING,
                description=f"year between {FIRST_SANE_YEAR} and {last_year}",
            ),
        ]
    return [
        not_null(period),
        ExpectColumnValuesToBeBetween(
            column=period,
            min_value=datetime(FIRST_SANE_YEAR, 1, 1),
            max_value=datetime(last_year, 12, 1),
            severity=FailureSeverity.WARNING,
            description=f"{period} between {FIRST_SANE_YEAR}-01 and {last_year}-12",
        ),
        ExpectColumnValuesToBeInSet(
            column=DAY_OF_MONTH,
            value_set=[1],
            description=f"{period} is the first day of its month",
        ),
    ]


# Small builders, so that a mart's suite reads as a list of what it promises.


def not_null(column: str) -> Expectation:
    return ExpectColumnValuesToNotBeNull(column=column, description=f"{column} is never null")


def in_list(column: str, values: Sequence[str]) -> Expectation:
    return ExpectColumnValuesToBeInSet(
        column=column, value_set=list(values), description=f"{column} is one of {', '.join(values)}"
    )


def counts(columns: Sequence[str]) -> list[Expectation]:
    """Counts: never null, never negative."""
    found: list[Expectation] = []
    for column in columns:
        found.append(not_null(column))
        found.append(ExpectColumnValuesToBeBetween(column=column, min_value=0, description=f"{column} ≥ 0"))
    return found


def non_negative(columns: Sequence[str]) -> list[Expectation]:
    """Figures that may be null (an empty cell) but never negative."""
    return [
        ExpectColumnValuesToBeBetween(column=column, min_value=0, description=f"{column} ≥ 0 where present")
        for column in columns
    ]


def shares(columns: Sequence[str]) -> list[Expectation]:
    return [
        ExpectColumnValuesToBeBetween(
            column=column, min_value=0, max_value=1, description=f"{column} in [0, 1] where present"
        )
        for column in columns
    ]


def at_least(larger: str, smaller: str) -> Expectation:
    return ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=larger,
        column_B=smaller,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
        description=f"{larger} ≥ {smaller}",
    )


def null_exactly_where_zero(columns: Sequence[str], denominator: str) -> list[Expectation]:
    """A ratio is null where its denominator is 0 and present elsewhere (indicators.md: an
    empty combination has null shares, medians and per-unit figures)."""
    found: list[Expectation] = []
    for column in columns:
        found.append(
            ExpectColumnValuesToBeNull(
                column=column,
                row_condition=Column(denominator) == 0,
                description=f"{column} is null where {denominator} is 0",
            )
        )
        found.append(
            ExpectColumnValuesToNotBeNull(
                column=column,
                row_condition=Column(denominator) > 0,
                description=f"{column} is present where {denominator} > 0",
            )
        )
    return found
