"""A mart as a pandas frame for Great Expectations, with the columns that need several rows.

Each row gets, computed in DuckDB from the published table (exact: euros are summed as
decimals before they become floats, so a roll-up equals its parts' sum exactly or not at all):
- `keys_missing_in_period`: how many expected key combinations its period lacks;
- `months_since_previous` (month marts): months since the previous row of its key
  combination, over the distinct months of that combination (null on its first);
- `day_of_month` (month marts): the day of its `month`;
- `<column>__sum_over_<key>` on each roll-up row: the sum of `column` over its parts (the
  rows sharing the rest of its grain), 0 if there are none; null on every other row.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from sotevault.expectations.suite import (
    DAY_OF_MONTH,
    KEYS_MISSING,
    MONTHS_SINCE_PREVIOUS,
    MartSuite,
    rollup_column,
)
from sotevault.publish import PUBLISHED_SCHEMA


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def mart_frame_sql(suite: MartSuite, table: str) -> str:
    """The query giving the mart in `table` (a qualified name) with this module's columns."""
    period = _name(suite.period)
    keys = ", ".join(_name(k) for k in suite.keys)
    if suite.full_grid:
        expected_keys = "select * from " + " cross join ".join(
            f"(select unnest([{', '.join(_text(v) for v in values)}]) as {_name(key)})"
            for key, values in suite.keys.items()
        )
    else:
        expected_keys = f"select distinct {keys} from mart"
    key_match = " and ".join(f"present.{_name(k)} = expected_keys.{_name(k)}" for k in suite.keys)
    ctes = [
        f"mart as (select * from {table})",
        f"periods as (select distinct {period} from mart)",
        f"present as (select distinct {period}, {keys} from mart)",
        f"expected_keys as ({expected_keys})",
        f"""keys_missing as (
            select periods.{period}, count(*) filter (where present.{period} is null) as {KEYS_MISSING}
            from periods
            cross join expected_keys
            left join present on present.{period} = periods.{period} and {key_match}
            group by all
        )""",
    ]
    extra = [f"keys_missing.{KEYS_MISSING}"]
    joins = [f"left join keys_missing using ({period})"]
    if suite.contiguous:
        ctes.append(
            f"""steps as (
                select {keys}, {period},
                    date_diff('month', lag({period}) over (partition by {keys} order by {period}), {period})
                        as {MONTHS_SINCE_PREVIOUS}
                from present
            )"""
        )
        extra.append(f"steps.{MONTHS_SINCE_PREVIOUS}")
        joins.append(f"left join steps using ({period}, {keys})")
    if suite.period == "month":
        extra.append(f"day(mart.{period}) as {DAY_OF_MONTH}")
    for rollup in suite.rollups:
        key, value = _name(rollup.key), _text(rollup.value)
        rest = ", ".join(f"mart.{_name(c)}" for c in suite.grain if c != rollup.key)
        extra.extend(
            f"case when mart.{key} = {value} then coalesce(sum(case when mart.{key} <> {value} "
            f"then mart.{_name(column)} end) over (partition by {rest}), 0) end "
            f"as {_name(rollup_column(column, rollup.key))}"
            for column in rollup.columns
        )
    order = ", ".join(f"mart.{_name(c)}" for c in suite.grain)
    return "\n".join(
        [
            "with " + ",\n".join(ctes),
            f"select mart.*, {', '.join(extra)}",
            "from mart",
            *joins,
            f"order by {order}",
        ]
    )


def read_mart_frame(con: duckdb.DuckDBPyConnection, suite: MartSuite, catalog: str) -> pd.DataFrame:
    """The mart with its extra columns; `catalog` is the attached marts.duckdb (the marts in
    its default schema, as sotevault.publish writes them)."""
    found = con.execute(
        "select count(*) from information_schema.tables "
        "where table_catalog = ? and table_schema = ? and table_name = ?",
        [catalog, PUBLISHED_SCHEMA, suite.mart],
    ).fetchall()[0][0]
    if not found:
        raise LookupError(f"marts.duckdb has no table {suite.mart}: was it published?")
    table = f"{_name(catalog)}.{_name(PUBLISHED_SCHEMA)}.{_name(suite.mart)}"
    return con.execute(mart_frame_sql(suite, table)).df()
