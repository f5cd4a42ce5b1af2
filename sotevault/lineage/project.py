"""The lineage of the dbt project: every model's compiled SQL, model by model, back to the raw tables."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from contracts.fields import FIELDS
from sotevault.lineage.edges import LineageEdge
from sotevault.lineage.sql import LineageError, query_lineage
from sotevault.paths import DataPaths
from sotevault.warehouse import AUDIT_DDL, connect, ensure_schema, raw_table_ddl

# The type given to every column: lineage needs the names, not the types.
_ANY_TYPE = "UNKNOWN"


@dataclass(frozen=True)
class _Relation:
    """A node of the dbt graph that a query can read: a model, seed or source."""

    unique_id: str
    name: str  # models and seeds by name, sources as <source>.<table> (raw.aptj_a)
    layer: str  # a model's folder (staging, raw_vault, business_vault, marts, exports); seed; source
    database: str
    schema: str
    identifier: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema.lower(), self.identifier.lower())


def compile_project(project_dir: Path, target_dir: Path, data_dir: Path) -> Path:
    """`dbt compile` into `target_dir` against a warehouse in `data_dir`; the manifest's path.

    The warehouse is given the raw and audit tables if it lacks them. Compiled against a
    warehouse without vault tables, the incremental models compile to their first-run SQL.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    con = connect(DataPaths(data_dir).warehouse)
    try:
        ensure_schema(con)
    finally:
        con.close()
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "compile",
            "--project-dir",
            str(project_dir),
            "--profiles-dir",
            str(project_dir),
            "--target-path",
            str(target_dir),
            "--log-path",
            str(target_dir / "logs"),
        ],
        env={**os.environ, "SOTEVAULT_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise LineageError(
            f"dbt compile failed in {project_dir}:\n{done.stdout[-4000:]}{done.stderr[-2000:]}"
        )
    return target_dir / "manifest.json"


def build_lineage(project_dir: Path, target_dir: Path, data_dir: Path) -> list[LineageEdge]:
    """Compile the dbt project and derive every model column's lineage (see `lineage_from_manifest`).

    `data_dir` is a scratch directory for the warehouse dbt compiles against (an empty one gives
    the first-run SQL of the incremental models); `target_dir` receives dbt's target files.
    """
    manifest_path = compile_project(project_dir, target_dir, data_dir)
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    return lineage_from_manifest(manifest)


def lineage_from_manifest(manifest: dict[str, Any]) -> list[LineageEdge]:
    """The column lineage of every model of a compiled dbt manifest, in model (DAG) order.

    Each model's output columns are derived from its compiled SQL, qualified against the columns
    of what it reads: the raw and audit tables as `sotevault.warehouse` creates them, the seeds'
    CSV headers, and the output columns derived for the upstream models. A model column built
    from no column at all (a literal, `count(*)` over the whole input) has one edge without a
    source, so that every column of every model is in the lineage.
    """
    relations = _relations(manifest)
    by_key = {r.key: r for r in relations.values()}
    columns = _read_columns(manifest, relations)

    def resolve(table: exp.Table) -> str | None:
        relation = by_key.get((table.db.lower(), table.name.lower()))
        return relation.unique_id if relation else None

    edges: list[LineageEdge] = []
    for unique_id in _models_in_dag_order(manifest):
        model = relations[unique_id]
        sql = manifest["nodes"][unique_id].get("compiled_code")
        if not sql:
            raise LineageError(f"model {model.name} has no compiled SQL: run dbt compile first")
        schema = _schema(relations, columns)
        try:
            lineage = query_lineage(sql, schema, resolve)
        except LineageError as error:
            raise LineageError(f"model {model.name}: {error}") from error
        columns[unique_id] = list(lineage)
        for column, sources in lineage.items():
            unknown = sorted(f"{relations[i].name}.{c}" for i, c in sources if c not in columns.get(i, []))
            if unknown:
                raise LineageError(
                    f"model {model.name}: column {column} reads {', '.join(unknown)}, which do not exist"
                )
            if not sources:
                edges.append(LineageEdge(model.name, column, None, None, False, model.layer, None))
            for (source_id, source_column), counted in sorted(
                sources.items(), key=lambda item: (relations[item[0][0]].name, item[0][1])
            ):
                source = relations[source_id]
                edges.append(
                    LineageEdge(
                        model.name, column, source.name, source_column, counted, model.layer, source.layer
                    )
                )
    return edges


def sqlglot_schema(
    manifest: dict[str, Any], edges: list[LineageEdge]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The schema every model was qualified against (sources, seeds, and the models' columns as
    `edges` give them), and the name of each relation by `schema.table`: for checking the
    lineage against another reader of the same SQL (`sqlglot.lineage`)."""
    relations = _relations(manifest)
    columns = _read_columns(manifest, relations)
    by_name = {r.name: r.unique_id for r in relations.values()}
    for edge in edges:
        model_columns = columns.setdefault(by_name[edge.model], [])
        if edge.column not in model_columns:
            model_columns.append(edge.column)
    names = {f"{r.schema}.{r.identifier}".lower(): r.name for r in relations.values()}
    return _schema(relations, columns), names


def _read_columns(manifest: dict[str, Any], relations: dict[str, _Relation]) -> dict[str, list[str]]:
    """The columns of the sources (from the warehouse DDL) and seeds (from their CSV headers)."""
    warehouse_tables = _warehouse_tables()
    columns: dict[str, list[str]] = {}
    for relation in relations.values():
        if relation.layer == "source":
            columns[relation.unique_id] = _source_columns(relation, warehouse_tables)
        elif relation.layer == "seed":
            node = manifest["nodes"][relation.unique_id]
            columns[relation.unique_id] = _seed_columns(Path(node["root_path"]) / node["original_file_path"])
    return columns


def _relations(manifest: dict[str, Any]) -> dict[str, _Relation]:
    relations: dict[str, _Relation] = {}
    for unique_id, node in manifest["nodes"].items():
        kind = node["resource_type"]
        if kind not in ("model", "seed") or not node["config"].get("enabled", True):
            continue
        layer = node["fqn"][1] if kind == "model" and len(node["fqn"]) > 2 else kind
        relations[unique_id] = _Relation(
            unique_id, node["name"], layer, node["database"], node["schema"], node["alias"] or node["name"]
        )
    for unique_id, node in manifest["sources"].items():
        relations[unique_id] = _Relation(
            unique_id,
            f"{node['source_name']}.{node['name']}",
            "source",
            node["database"],
            node["schema"],
            node["identifier"] or node["name"],
        )
    return relations


def _models_in_dag_order(manifest: dict[str, Any]) -> list[str]:
    models = {u: n for u, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for unique_id in sorted(models):
        upstream = sorted(d for d in models[unique_id]["depends_on"]["nodes"] if d in models)
        sorter.add(unique_id, *upstream)
    order: list[str] = []
    sorter.prepare()
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        order.extend(ready)
        sorter.done(*ready)
    return order


def _schema(relations: dict[str, _Relation], columns: dict[str, list[str]]) -> dict[str, Any]:
    schema: dict[str, Any] = {}
    for unique_id, names in columns.items():
        relation = relations[unique_id]
        table = schema.setdefault(relation.database, {}).setdefault(relation.schema, {})
        table[relation.identifier] = dict.fromkeys(names, _ANY_TYPE)
    return schema


def _warehouse_tables() -> dict[tuple[str, str], list[str]]:
    """The columns of the raw and audit tables, from the DDL that creates them."""
    statements = [raw_table_ddl(source) for source in FIELDS] + [AUDIT_DDL]
    tables: dict[tuple[str, str], list[str]] = {}
    for statement in sqlglot.parse(";\n".join(statements), read="duckdb"):
        if not isinstance(statement, exp.Create) or statement.kind != "TABLE":
            continue
        target = statement.this
        if not isinstance(target, exp.Schema) or not isinstance(target.this, exp.Table):
            continue
        table = target.this
        names = [c.name for c in target.expressions if isinstance(c, exp.ColumnDef)]
        tables[(table.db.lower(), table.name.lower())] = names
    return tables


def _source_columns(relation: _Relation, tables: dict[tuple[str, str], list[str]]) -> list[str]:
    if relation.key not in tables:
        raise LineageError(
            f"source {relation.name} ({relation.schema}.{relation.identifier}) is not a table "
            "sotevault.warehouse creates: its columns are unknown"
        )
    return tables[relation.key]


def _seed_columns(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise LineageError(f"seed {path} has no header line")
    return [name.strip().lower() for name in header]
