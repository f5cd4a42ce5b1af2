"""Column lineage of one SQL query: which columns of which tables each output column is made of.

The query is qualified with sqlglot's optimizer (`qualify`: tables and columns qualified, stars
expanded from the schema) and walked scope by scope (`build_scope`), as `sqlglot.lineage` walks
it. `sqlglot.lineage.lineage` itself gives the graph of nodes but not *how* a column reference
sits in its expression, which is what the proof needs, so the walk is done here, on the same
scopes, keeping for every path whether it passes through a counting aggregate.

Three rules, in the words of docs/lineage.md:

- An output column derives from every column referenced in its expression (CASE conditions,
  window PARTITION BY and ORDER BY included), from every output of a subquery in it, and — for
  a figure computed per group (an expression holding an aggregate in a grouped SELECT) — from
  the group keys: `count(*) … group by hk_person` is a figure per person.
- A path is *counted* when a counting aggregate (`count`, `count(distinct …)`, `count_if`,
  `approx_count_distinct`, `regr_count`) lies on it between the column reference and the output
  column, or the reference sits in the FILTER clause of one. Every other aggregate (`min`,
  `max`, `any_value`, `first`, `list`, `string_agg`, `median`, `sum`, `avg`, window functions
  such as `lag`) gives back a member's value, at least over a group of one, and counts as
  passing its input through.
- Filters, join conditions, QUALIFY and HAVING choose rows; they are not lineage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TypeAlias

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, build_scope, find_all_in_scope

# The aggregates whose result is a number of rows or of distinct values: whatever the group,
# it never gives back one of the values counted.
COUNTING_AGGREGATES: tuple[type[exp.Expr], ...] = (exp.Count, exp.CountIf, exp.ApproxDistinct, exp.RegrCount)

SourceColumn: TypeAlias = tuple[str, str]
"""A column of a table the query reads, as (the table's name given by the resolver, column)."""

ColumnSources: TypeAlias = dict[SourceColumn, bool]
"""The source columns an output column derives from, each with whether every path is counted."""

Schema: TypeAlias = Mapping[str, Mapping[str, Mapping[str, Mapping[str, str]]]]
"""catalog → schema → table → column → type, as sqlglot's MappingSchema takes it."""

Resolver: TypeAlias = Callable[[exp.Table], str | None]
"""Names the table a leaf reference reads (a model, seed or source), or None if unknown."""


class LineageError(Exception):
    """The lineage of a column cannot be established: the proof must not pass over it."""


def query_lineage(
    sql: str, schema: Schema, resolve: Resolver, dialect: str = "duckdb"
) -> dict[str, ColumnSources]:
    """Every output column of `sql`, in select order, with the source columns it derives from."""
    try:
        parsed = sqlglot.parse_one(sql, read=dialect)
        qualified = qualify(
            parsed,
            dialect=dialect,
            schema=dict(schema),
            validate_qualify_columns=False,
            identify=False,
        )
    except SqlglotError as error:
        raise LineageError(f"cannot qualify the query: {error}") from error
    root = build_scope(qualified)
    if root is None or not isinstance(root.expression, exp.Query):
        raise LineageError("the SQL is not a query")
    tracer = _Tracer(resolve)
    result: dict[str, ColumnSources] = {}
    for index, name in enumerate(root.expression.named_selects):
        if name in result:
            raise LineageError(f"the query returns column {name!r} twice")
        if name == "*":
            raise LineageError("a star could not be expanded: a table's columns are unknown")
        result[name] = tracer.column(root, index)
    return result


def _merge(into: ColumnSources, sources: ColumnSources, counted: bool) -> None:
    """Add `sources` reached through one more step (counted or not): a pair is counted only
    when every path between them is."""
    for key, inner in sources.items():
        path = inner or counted
        into[key] = into[key] and path if key in into else path


def is_counted(node: exp.Expr, root: exp.Expr) -> bool:
    """Whether a counting aggregate lies between `node` and `root` in the expression tree
    (the FILTER clause of a counting aggregate included)."""
    child: exp.Expr = node
    parent = node.parent
    while child is not root and parent is not None:
        if isinstance(parent, COUNTING_AGGREGATES):
            return True
        if isinstance(parent, exp.Filter) and isinstance(parent.this, COUNTING_AGGREGATES):
            return True
        child, parent = parent, parent.parent
    return False


def _holds_aggregate(select: exp.Expr) -> bool:
    """An aggregate evaluated per group (not a window function over the grouped rows)."""
    for agg in find_all_in_scope(select, exp.AggFunc):
        node = agg.parent
        windowed = False
        while node is not None and node is not select.parent:
            if isinstance(node, exp.Window):
                windowed = True
                break
            node = node.parent
        if not windowed:
            return True
    return False


def _group_keys(select_expr: exp.Select) -> list[exp.Expr]:
    group = select_expr.args.get("group")
    if not isinstance(group, exp.Group):
        return []
    if group.args.get("all"):
        # DuckDB's GROUP BY ALL: every selected expression that holds no aggregate.
        return [s for s in select_expr.selects if not _holds_aggregate(s)]
    return [group]


class _Tracer:
    def __init__(self, resolve: Resolver) -> None:
        self._resolve = resolve
        self._memo: dict[tuple[int, int | str], ColumnSources] = {}

    def column(self, scope: Scope, column: int | str) -> ColumnSources:
        key = (id(scope), column)
        if key not in self._memo:
            self._memo[key] = self._column(scope, column)
        return self._memo[key]

    def _column(self, scope: Scope, column: int | str) -> ColumnSources:
        expression = scope.expression
        result: ColumnSources = {}
        if isinstance(expression, exp.SetOperation):
            index = column if isinstance(column, int) else _index_of(expression, column)
            for branch in scope.set_operation_scopes:
                _merge(result, self.column(branch, index), False)
            return result
        if isinstance(expression, exp.Subquery):
            for inner in scope.subquery_scopes:
                _merge(result, self.column(inner, column), False)
            return result
        if isinstance(expression, exp.Values):
            if any(True for _ in expression.find_all(exp.Column)):
                raise LineageError(f"VALUES reading columns is not supported: {expression.sql()}")
            return result
        if not isinstance(expression, exp.Select):
            raise LineageError(
                f"unsupported query part {type(expression).__name__}: {expression.sql()[:200]}"
            )
        select = _select(expression, column)
        if isinstance(select, exp.Star) or (isinstance(select, exp.Column) and select.is_star):
            raise LineageError(f"a star could not be expanded in: {expression.sql()[:200]}")
        _merge(result, self._expression(scope, select), False)
        if _holds_aggregate(select):
            for key in _group_keys(expression):
                _merge(result, self._expression(scope, key), False)
        return result

    def _expression(self, scope: Scope, root: exp.Expr) -> ColumnSources:
        """The source columns an expression of `scope` reads (columns and subqueries in it)."""
        result: ColumnSources = {}
        for ref in find_all_in_scope(root, exp.Column):
            _merge(result, self._reference(scope, ref), is_counted(ref, root))
        subqueries = {id(s.expression): s for s in scope.subquery_scopes}
        for query in find_all_in_scope(root, *exp.UNWRAPPED_QUERIES):
            sub = subqueries.get(id(query))
            if sub is None:
                raise LineageError(f"no scope for the subquery {query.sql()[:200]}")
            counted = is_counted(query, root)
            for name in query.named_selects:
                _merge(result, self.column(sub, name), counted)
        return result

    def _reference(self, scope: Scope, ref: exp.Column) -> ColumnSources:
        source = _source_of(scope, ref)
        if isinstance(source, Scope):
            return self.column(source, ref.name)
        if not isinstance(source.this, exp.Identifier):
            # A table function (DuckDB `range(…)`): its rows are made of its arguments.
            return self._expression(scope, source)
        name = self._resolve(source)
        if name is None:
            raise LineageError(f"{ref.sql()} reads {source.sql()}, which is not a model, seed or source")
        return {(name, ref.name): False}


def _index_of(expression: exp.Query, column: str) -> int:
    names = expression.named_selects
    if column not in names:
        raise LineageError(f"no column {column!r} in {expression.sql()[:200]}")
    return names.index(column)


def _select(expression: exp.Select, column: int | str) -> exp.Expr:
    selects = expression.selects
    if isinstance(column, int):
        return selects[column]
    for select in selects:
        if select.alias_or_name == column:
            return select
    if expression.is_star:
        raise LineageError(f"column {column!r} comes from a star that could not be expanded")
    raise LineageError(f"no column {column!r} in {expression.sql()[:200]}")


def _source_of(scope: Scope, ref: exp.Column) -> Scope | exp.Table:
    """The source a column reference reads, looking outwards for a correlated reference."""
    table = ref.table
    current: Scope | None = scope
    while current is not None:
        if table and table in current.sources:
            return current.sources[table]
        if not table:
            named = [s for name, s in current.sources.items() if name]
            if len(named) == 1:
                return named[0]
            break
        current = current.parent
    raise LineageError(f"cannot tell which table {ref.sql()} comes from")


def walk_columns(sources: Mapping[str, ColumnSources]) -> Iterator[tuple[str, SourceColumn, bool]]:
    """(output column, source column, counted), sorted by source within each output column."""
    for column, found in sources.items():
        for source in sorted(found):
            yield column, source, found[source]
