"""The floor and the peer shape: the same vault load as hand-written DuckDB SQL.

**Floor** — the leanest SQL for the same result as the dbt models, with no dbt and no Dagster:
each raw source is staged once for the batch into a temporary table (typing, every key and
hash diff computed once, by the staging models' own compiled SQL, its batch bounds replaced
by the floor's), then one INSERT … SELECT per
hub, link and satellite with anti-joins. Satellites compare the batch with each key's current
version kept in `<sat>__current` (maintained by the same script), as ours do; only rows not
newer than their key's current version are checked against the versions the satellite holds of
their keys, found by a semi-join (an anti-join would read all of it). Like ours, it writes hubs,
links and `<sat>__current` in key-text order and finds the keys they hold by key and key text
(docs/vault.md, "Key order"): the same result, tables the next night's load can prune.

**Peer shape** — the satellite load as the common dbt vault packages write it (AutomateDV's
`sat`): the latest row of each key the batch touches by a window over the satellite (joined
to the batch's keys), then LAG over the batch to drop a version equal to the one before it.
It keeps fewer rows than ours by design (neighbour compression, see docs/decisions.md); the
benchmark reports its time and row count beside ours.

What to load comes from the dbt manifest (each vault model's family and staging parents) and
the columns from the tables dbt built, so the floor needs no copy of the model list.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

VAULT_SCHEMA = "vault"
# The batch filter every staging model applies (macros/vault/batch.sql, staging_filter).
STAGING_BOUNDS = re.compile(r"_batch_id > \d+ and _batch_id <= \d+")


@dataclass(frozen=True)
class VaultModel:
    name: str
    family: str  # hubs | links | sats
    sources: tuple[str, ...]  # staging models, in the order dbt unions them

    @property
    def is_sat(self) -> bool:
        return self.family == "sats"


def vault_models(manifest_path: Path) -> list[VaultModel]:
    """Every raw-vault model with its family and staging parents, from the dbt manifest."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    out = []
    for node in manifest["nodes"].values():
        fqn = node["fqn"]
        if node["resource_type"] != "model" or len(fqn) < 4 or fqn[1] != "raw_vault":
            continue
        sources = tuple(
            d.split(".")[-1] for d in node["depends_on"]["nodes"] if d.split(".")[-1].startswith("stg_")
        )
        out.append(VaultModel(fqn[-1], fqn[2], sources))
    order = {"hubs": 0, "links": 1, "sats": 2}
    return sorted(out, key=lambda m: (order[m.family], m.name))


def columns_of(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [schema, table],
    ).fetchall()
    return [r[0] for r in rows]


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(columns_of(con, schema, table))


def key_text(key: str) -> str:
    """The key text column beside a hash key (macros/vault/hash.sql, key_text_column)."""
    return "bk_" + key[3:]


def _source_expr(column: str) -> str:
    return "_batch_id as load_batch" if column == "load_batch" else column


class HandLoad:
    """One batch range (after `batch_from`, up to `batch_to`) loaded by hand-written SQL.

    `columns` holds each vault table's columns in dbt's order (read from the tables dbt
    built), so the hand load writes tables that compare row for row with ours.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        models: list[VaultModel],
        columns: dict[str, list[str]],
        compiled: Path,
    ) -> None:
        self.con = con
        self.models = models
        self.columns = columns
        self.compiled = compiled
        self.seconds: dict[str, float] = {}
        self.model_seconds: dict[str, float] = {}  # the same statements, per vault model
        self._model = ""

    def _timed(self, step: str, sql: str) -> None:
        started = time.perf_counter()
        self.con.execute(sql)
        elapsed = time.perf_counter() - started
        self.seconds[step] = self.seconds.get(step, 0.0) + elapsed
        if self._model:
            self.model_seconds[self._model] = self.model_seconds.get(self._model, 0.0) + elapsed

    def stage(self, batch_from: int, batch_to: int, sources: set[str]) -> None:
        for source in sorted(sources):
            (path,) = self.compiled.rglob(f"staging/{source}.sql")
            sql, found = STAGING_BOUNDS.subn(
                f"_batch_id > {batch_from} and _batch_id <= {batch_to}", path.read_text(encoding="utf-8")
            )
            if found != 1:
                raise ValueError(f"{path}: expected one staging batch filter, found {found}")
            self._timed("staging", f"create or replace temp table b_{source} as {sql}")

    def run(self, batch_from: int, batch_to: int, shape: str = "floor") -> dict[str, float]:
        """`shape`: 'floor' loads every vault model; 'peer' only the satellites, AutomateDV's way."""
        models = [m for m in self.models if shape == "floor" or m.is_sat]
        self.con.execute(f"create schema if not exists {VAULT_SCHEMA}")
        self.stage(batch_from, batch_to, {s for m in models for s in m.sources})
        for model in models:
            self._model = model.name
            if not model.is_sat:
                self._hub(model)
            elif shape == "floor":
                self._sat(model)
            else:
                self._peer_sat(model)
        return self.seconds

    # hubs, links and non-historised links: a key once, with its first batch's row
    def _hub(self, model: VaultModel) -> None:
        cols = self.columns[model.name]
        pk = cols[0]
        target = f"{VAULT_SCHEMA}.{model.name}"
        select = ", ".join(_source_expr(c) for c in cols)
        batch = " union all ".join(
            f"select {select} from b_{s} where {pk} is not null" for s in model.sources
        )
        first = (
            "qualify row_number() over (partition by {pk} "
            "order by load_batch, load_datetime, record_source) = 1"
        )
        bk = key_text(pk)
        if _exists(self.con, VAULT_SCHEMA, model.name):
            sql = (
                f"insert into {target} with b as ({batch}), known as (select t.{pk} from {target} as t "
                f"where exists (select 1 from b where b.{pk} = t.{pk} and b.{bk} = t.{bk})) "
                f"select * from b where not exists (select 1 from known as k where k.{pk} = b.{pk}) "
                f"{first.format(pk=pk)} order by {bk}"
            )
        else:
            sql = f"create table {target} as select * from ({batch}) as b {first.format(pk=pk)} order by {bk}"
        self._timed(model.family, sql)

    # satellites: every distinct (key, order, hash diff), current state kept beside
    def _sat(self, model: VaultModel) -> None:
        cols = self.columns[model.name]
        pk, hd = cols[0], cols[1]
        bk = key_text(pk)
        target, current = f"{VAULT_SCHEMA}.{model.name}", f"{VAULT_SCHEMA}.{model.name}__current"
        (source,) = model.sources
        select = ", ".join(_source_expr(c) for c in cols)
        column_list = ", ".join(cols)
        batch = (
            f"select {select} from b_{source} where {pk} is not null qualify row_number() over ("
            f"partition by {pk}, src_order, {hd} order by load_batch, src_position desc) = 1"
        )
        latest = (
            f"select {pk}, src_order, src_position, {hd}, load_datetime, {bk} from new_rows "
            f"qualify row_number() over (partition by {pk} order by src_order desc, src_position desc) = 1"
        )
        if not _exists(self.con, VAULT_SCHEMA, model.name):
            self._timed("sats", f"create temp table new_rows as {batch}")
            self._timed("sats", f"create table {target} as select * from new_rows")
            self._timed("sats", f"create table {current} as {latest} order by {bk}")
        else:
            self._timed(
                "sats",
                # Rows not newer than their key's current version are checked against the
                # versions the satellite holds of those keys only (a semi-join, as ours): an
                # anti-join against the satellite would read all of it, however deep.
                f"""create temp table new_rows as
                with b as ({batch}), c as (select c.* from {current} as c
                    where exists (select 1 from b where b.{pk} = c.{pk} and b.{bk} = c.{bk})),
                j as (select b.*, c.src_order as c_order, c.{hd} as c_hd
                    from b left join c on b.{pk} = c.{pk}),
                not_newer as (select * from j
                    where j.src_order < j.c_order or (j.src_order = j.c_order and j.{hd} <> j.c_hd)),
                held as (select s.{pk}, s.src_order, s.{hd} from {target} as s
                    where exists (select 1 from not_newer as n where n.{pk} = s.{pk} and n.{bk} = s.{bk}))
                select {column_list} from j where j.c_order is null or j.src_order > j.c_order
                union all
                select {column_list} from not_newer as n where not exists (
                    select 1 from held as h
                    where h.{pk} = n.{pk} and h.src_order = n.src_order and h.{hd} = n.{hd})""",
            )
            self._timed("sats", f"insert into {target} select * from new_rows")
            self._timed(
                "sats",
                f"""create temp table moved as
                with n as ({latest}), c as (select c.* from {current} as c
                    where exists (select 1 from n where n.{pk} = c.{pk} and n.{bk} = c.{bk}))
                select n.* from n left join c on n.{pk} = c.{pk}
                where c.{pk} is null or (n.src_order, n.src_position) > (c.src_order, c.src_position)""",
            )
            self._timed(
                "sats",
                f"delete from {current} as c where exists "
                f"(select 1 from moved as m where m.{pk} = c.{pk} and m.{bk} = c.{bk})",
            )
            self._timed("sats", f"insert into {current} select * from moved order by {bk}")
            self.con.execute("drop table moved")
        self.con.execute("drop table new_rows")

    # the peer shape: AutomateDV's satellite, ordered by the source's own order
    def _peer_sat(self, model: VaultModel) -> None:
        cols = self.columns[model.name]
        pk, hd = cols[0], cols[1]
        target = f"{VAULT_SCHEMA}.{model.name}"
        (source,) = model.sources
        select = ", ".join(_source_expr(c) for c in cols)
        source_data = f"select {select} from b_{source} where {pk} is not null"
        if not _exists(self.con, VAULT_SCHEMA, model.name):
            self._timed(
                "sats",
                f"""create table {target} as
                with source_data as ({source_data})
                select * from source_data
                qualify coalesce(
                    lag({hd}) over (partition by {pk} order by src_order, src_position) <> {hd}, true)""",
            )
            return
        self._timed(
            "sats",
            f"""insert into {target}
            with source_data as ({source_data}),
            latest_records as (
                select * from (
                    select s.{pk}, s.{hd}, rank() over (
                        partition by s.{pk} order by s.src_order desc, s.src_position desc) as rank_num
                    from {target} as s
                    inner join (select distinct {pk} from source_data) as k on s.{pk} = k.{pk}
                ) where rank_num = 1
            ),
            first_record_in_set as (
                select * from source_data
                qualify rank() over (partition by {pk} order by src_order, src_position) = 1
            ),
            unique_source_records as (
                select * from source_data
                qualify coalesce(
                    lag({hd}) over (partition by {pk} order by src_order, src_position) <> {hd}, false)
            ),
            records_to_insert as (
                select f.* from first_record_in_set as f
                left join latest_records as l on f.{pk} = l.{pk} and f.{hd} = l.{hd}
                where l.{hd} is null
                union
                select * from unique_source_records
            )
            select * from records_to_insert""",
        )


def compare(con: duckdb.DuckDBPyConnection, ours: str, floor: str, tables: list[str]) -> dict[str, int]:
    """Rows in one and not the other (both ways, with multiplicity) per table; 0 = identical."""
    out = {}
    for table in tables:
        out[table] = sum(
            int(
                con.execute(
                    f"select count(*) from (select * from {a}.{VAULT_SCHEMA}.{table} "
                    f"except all select * from {b}.{VAULT_SCHEMA}.{table})"
                ).fetchall()[0][0]
            )
            for a, b in ((ours, floor), (floor, ours))
        )
    return out
