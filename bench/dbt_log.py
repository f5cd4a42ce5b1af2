"""Where a dbt invocation's time went, from its JSON debug log (`dbt.log`).

dagster-dbt gives every invocation its own target directory with a `dbt.log` in JSON lines;
at debug level it records each SQL statement a node sends (`SQLQuery`), its elapsed time
(`SQLQueryStatus`) and each node's execution time (`NodeFinished`). From those:

- **vault SQL**: the statements of staging and raw-vault models (the load itself, with its
  hooks: watermarks, current-state maintenance) — what the floor's hand-written SQL also does;
- **other model SQL**: seeds, business vault, marts, exports;
- **data tests**: the execution time of the test nodes;
- **dbt overhead**: the rest of the invocation — start-up, parse, compile, the adapter's
  catalogue queries and transactions, bookkeeping between statements.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

# Statements dbt sends for itself, not for the model: transaction starts, catalogue look-ups
# and schema checks (dbt-duckdb's DESCRIBEs; `vault_append`'s check, which describes the table
# and the model's query: macros/vault/append.sql). A COMMIT is the model's: DuckDB makes its
# writes durable there (and checkpoints when its log is large enough), as the floor's statements
# do in autocommit.
_OVERHEAD_PREFIXES = ("begin", "rollback")
_CATALOGUE_MARKERS = (
    "information_schema",
    "duckdb_tables",
    "duckdb_views",
    "duckdb_columns",
    "system.",
    "(describe ",
)

VAULT_FOLDERS = ("staging", "raw_vault")


@dataclass
class NodeTime:
    unique_id: str
    resource_type: str
    folder: str
    sql_seconds: float = 0.0
    overhead_sql_seconds: float = 0.0
    execution_seconds: float = 0.0
    statements: int = 0


@dataclass
class InvocationSplit:
    log: Path
    elapsed: float
    startup: float
    nodes: dict[str, NodeTime] = field(default_factory=dict)

    def _sum(self, folders: tuple[str, ...] | None, resource_types: tuple[str, ...]) -> float:
        return sum(
            n.sql_seconds
            for n in self.nodes.values()
            if n.resource_type in resource_types and (folders is None or n.folder in folders)
        )

    @property
    def vault_sql(self) -> float:
        return self._sum(VAULT_FOLDERS, ("model",))

    @property
    def other_sql(self) -> float:
        return sum(
            n.sql_seconds
            for n in self.nodes.values()
            if (n.resource_type == "model" and n.folder not in VAULT_FOLDERS) or n.resource_type == "seed"
        )

    @property
    def tests(self) -> float:
        return sum(n.execution_seconds for n in self.nodes.values() if n.resource_type == "test")

    @property
    def overhead(self) -> float:
        return self.elapsed - self.vault_sql - self.other_sql - self.tests

    def family_sql(self, family_of: dict[str, str]) -> dict[str, float]:
        """Vault SQL seconds by model family (`family_of`: model name -> family)."""
        out: dict[str, float] = {}
        for node in self.nodes.values():
            name = node.unique_id.split(".")[-1]
            if node.resource_type == "model" and name in family_of:
                out[family_of[name]] = out.get(family_of[name], 0.0) + node.sql_seconds
        return out


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text.rstrip("Z"))


def _is_overhead(sql: str) -> bool:
    text = sql.lstrip().lower()
    return text.startswith(_OVERHEAD_PREFIXES) or any(m in text for m in _CATALOGUE_MARKERS)


def _lines(log: Path) -> Iterator[str]:
    """The log's lines in order, across dbt's rotated files (dbt.log.2, dbt.log.1, dbt.log)."""
    rotated = sorted(log.parent.glob(log.name + ".*"), key=lambda p: -int(p.suffix[1:]))
    for path in [*rotated, log]:
        with path.open(encoding="utf-8") as lines:
            yield from lines


def parse(log: Path) -> InvocationSplit:
    """Split one invocation's time (see the module docstring)."""
    first_ts: datetime | None = None
    first_node_ts: datetime | None = None
    elapsed = 0.0
    nodes: dict[str, NodeTime] = {}
    pending: dict[str, str] = {}  # thread -> the SQL it is running
    for line in _lines(log):
        event = json.loads(line)
        info, data = event["info"], event["data"]
        name = info["name"]
        if first_ts is None:
            first_ts = _ts(info["ts"])
        node_info = data.get("node_info") or {}
        unique_id = node_info.get("unique_id")
        if name == "NodeStart" and first_node_ts is None:
            first_node_ts = _ts(info["ts"])
        if unique_id and unique_id not in nodes:
            parts = node_info.get("node_path", "").split("/")
            nodes[unique_id] = NodeTime(
                unique_id, node_info.get("resource_type", ""), parts[0] if len(parts) > 1 else ""
            )
        if name == "SQLQuery":
            pending[info["thread"]] = data.get("sql", "")
        elif name == "SQLQueryStatus" and unique_id:
            node = nodes[unique_id]
            sql = pending.pop(info["thread"], "")
            if _is_overhead(sql):
                node.overhead_sql_seconds += float(data["elapsed"])
            else:
                node.sql_seconds += float(data["elapsed"])
                node.statements += 1
        elif name == "NodeFinished" and unique_id:
            nodes[unique_id].execution_seconds = float(data["run_result"]["execution_time"])
        elif name == "CommandCompleted":
            elapsed = float(data["elapsed"])
    startup = (first_node_ts - first_ts).total_seconds() if first_ts and first_node_ts else 0.0
    return InvocationSplit(log, elapsed, startup, nodes)


def newest_log(target_dir: Path, after: float) -> Path:
    """The dbt.log of the newest dagster-dbt invocation written after `after` (epoch s)."""
    logs = [p for p in target_dir.glob("*/dbt.log") if p.stat().st_mtime >= after]
    if not logs:
        raise FileNotFoundError(f"no dbt.log under {target_dir} newer than the run")
    return max(logs, key=lambda p: p.stat().st_mtime)
