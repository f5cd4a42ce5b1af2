"""The proof over the lineage: which columns are person-level, and that none is published.

The pseudonym (`person_pseudonym`, the only form of the hetu past ingestion) is the identity
column of the raw tables. A column is an *identity column* when it is the pseudonym or is
computed from an identity column by some step that is not a counting aggregate: a hash of it
(`hk_person`), a link key or hashdiff over it, a copy, a cast, a `max(…)` of it, a figure
grouped by it. A published column (marts, exports) that is an identity column is a violation.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from sotevault.lineage.edges import PUBLISHED_LAYERS, LineageEdge
from sotevault.warehouse import PSEUDONYM_COLUMN

Column = tuple[str, str]


def identity_roots(edges: Iterable[LineageEdge]) -> set[Column]:
    """The pseudonym columns of the source tables the models read."""
    return {
        e.source
        for e in edges
        if e.source is not None and e.source_layer == "source" and e.source_column == PSEUDONYM_COLUMN
    }


def identity_columns(edges: Iterable[LineageEdge]) -> set[Column]:
    """Every column holding a person's identity: the pseudonym and what is computed from it
    without a counting aggregate, sources included."""
    edges = list(edges)
    readers: dict[Column, list[Column]] = {}
    for e in edges:
        if e.source is not None and not e.through_aggregate:
            readers.setdefault(e.source, []).append(e.target)
    found = identity_roots(edges)
    queue = deque(sorted(found))
    while queue:
        column = queue.popleft()
        for reader in readers.get(column, []):
            if reader not in found:
                found.add(reader)
                queue.append(reader)
    return found


@dataclass(frozen=True, order=True)
class Violation:
    """A published column that is an identity column, with the unaggregated chain that makes it one:
    from the column itself back to a raw pseudonym."""

    model: str
    column: str
    chain: tuple[Column, ...]

    def __str__(self) -> str:
        steps = " ← ".join(f"{m}.{c}" for m, c in self.chain)
        return f"{self.model}.{self.column} is person-level: {steps}"


def identity_chain(edges: Iterable[LineageEdge], column: Column) -> tuple[Column, ...]:
    """The shortest unaggregated chain from `column` back to a raw pseudonym (empty if none)."""
    edges = list(edges)
    roots = identity_roots(edges)
    sources: dict[Column, list[Column]] = {}
    for e in sorted(edges, key=LineageEdge.sort_key):
        if e.source is not None and not e.through_aggregate:
            sources.setdefault(e.target, []).append(e.source)
    previous: dict[Column, Column | None] = {column: None}
    queue = deque([column])
    while queue:
        current = queue.popleft()
        if current in roots:
            chain = [current]
            step = previous[current]
            while step is not None:
                chain.append(step)
                step = previous[step]
            return tuple(reversed(chain))
        for source in sources.get(current, []):
            if source not in previous:
                previous[source] = current
                queue.append(source)
    return ()


def person_level_violations(edges: Iterable[LineageEdge]) -> list[Violation]:
    """Every published column (marts, exports) that derives from the pseudonym, or from a key
    or hash of it, other than through a counting aggregate — sorted."""
    edges = list(edges)
    identity = identity_columns(edges)
    published = {e.target for e in edges if e.model_layer in PUBLISHED_LAYERS}
    return [Violation(m, c, identity_chain(edges, (m, c))) for m, c in sorted(published & identity)]


def origins(edges: Iterable[LineageEdge], column: Column) -> dict[Column, bool]:
    """The source and seed columns `column` is computed from, across models, each with whether
    every path from it passes through a counting aggregate somewhere."""
    by_target: dict[Column, list[LineageEdge]] = {}
    for e in edges:
        by_target.setdefault(e.target, []).append(e)
    memo: dict[Column, dict[Column, bool]] = {}

    def walk(current: Column) -> dict[Column, bool]:
        if current in memo:
            return memo[current]
        found: dict[Column, bool] = {}
        for e in by_target.get(current, []):
            source = e.source
            if source is None:
                continue
            upstream = {source: False} if source not in by_target else walk(source)
            for key, counted in upstream.items():
                path = counted or e.through_aggregate
                found[key] = found[key] and path if key in found else path
        memo[current] = found
        return found

    return walk(column)
