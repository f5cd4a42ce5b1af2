"""Dagster's SQLite event log with one pooled connection per database instead of one per event.

Dagster's `SqliteEventLogStorage` builds a SQLAlchemy engine, opens a connection and disposes of
both for every event it stores: ~20 ms an event on this machine, and a `sotevault run` stores
~1,200 events (a planned event and a result for each dbt model and test, step events, logs), so
the event log alone cost ~25 s of every run (docs/benchmarks.md). This subclass keeps one engine
per database file (the run's shard and the cross-run index) for the life of the instance, in WAL
mode with `synchronous=NORMAL` (SQLite's recommended pairing for WAL: a committed event survives a
crash of the process; only an operating-system crash may lose the last events of a run, which is
operational metadata — the warehouse's own audit tables are in DuckDB). The files, their schema
and every query are Dagster's own: `dagster-webserver` (`make dev`) reads them as usual.

Before many writes Dagster also asks whether an optional table exists (asset event tags,
concurrency slots, asset check executions), each time on a new engine and connection: ~660
times a run, ~0.5 s. Here the question goes to the pooled index connection, and a table once
found is remembered: Dagster's tables are only ever added (`dagster instance migrate`), never
dropped while an instance is open, and a table not found is asked again.

A batch of events (Dagster sends one when `DAGSTER_EVENT_BATCH_SIZE` is set: the ~370 planned
events of a run, which `sotevault run` sets it for) is stored in one transaction per database
file instead of one per event and table: 0.53 → 0.1 s for a run's planned events. Dagster's
base storage stores a batch event by event; here the events' statements are Dagster's own, only
the transactions are shared. Should the batch fail, nothing of it is kept and Dagster stores the
events one by one. The index commits before the run's file: a failure between the two commits
(the disk full) leaves the index with events the fall-back stores once more.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as db
from dagster import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy.engine import Connection, Engine, Transaction

# Database files kept open at once: the index, the running run and a few recently read ones.
MAX_OPEN_SHARDS = 8


def _tune_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` whose connections are pooled per shard (see the module docstring)."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_lock = threading.Lock()
        self._tables_found: set[str] = set()
        # The connections of the batch this thread is storing, by database file.
        self._batch = threading.local()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Any
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        with self._engines_lock:
            engine = self._engines.get(shard)
            if engine is not None:
                self._engines.move_to_end(shard)
            else:
                engine = db.create_engine(
                    self.conn_string_for_shard(shard),
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
                    pool_size=1,
                    max_overflow=4,
                )
                db.event.listen(engine, "connect", _tune_connection)
                self._engines[shard] = engine
                # A webserver reads many runs: keep the newest few files open, not all of them.
                while len(self._engines) > MAX_OPEN_SHARDS:
                    _, oldest = self._engines.popitem(last=False)
                    oldest.dispose()
            return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        batch: dict[str, tuple[Connection, Transaction]] | None = getattr(self._batch, "open", None)
        if batch is not None:  # inside store_event_batch, which holds `_db_lock`
            if shard not in batch:
                engine = self._engine(shard)
                if shard not in self._initialized_dbs:
                    self._initdb(engine)
                    self._initialized_dbs.add(shard)
                conn = engine.connect()
                batch[shard] = (conn, conn.begin())
            yield batch[shard][0]
            return
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        batch: dict[str, tuple[Connection, Transaction]] = {}
        with self._db_lock:
            self._batch.open = batch
            try:
                for event in events:
                    self.store_event(event)
                # The run's file last: see the module docstring.
                for shard in sorted(batch, key=lambda shard: shard != INDEX_SHARD_NAME):
                    batch[shard][1].commit()
            finally:
                self._batch.open = None
                for conn, transaction in batch.values():
                    if transaction.is_active:
                        transaction.rollback()
                    conn.close()

    def has_table(self, table_name: str) -> bool:
        # No `_db_lock` here: Dagster asks while it holds a connection of its own.
        if table_name in self._tables_found:
            return True
        with self._engine(INDEX_SHARD_NAME).connect() as conn:
            found = bool(conn.dialect.has_table(conn, table_name))
        if found:
            self._tables_found.add(table_name)
        return found

    def dispose(self) -> None:
        with self._engines_lock:
            engines = list(self._engines.values())
            self._engines.clear()
        for engine in engines:
            engine.dispose()
        super().dispose()
