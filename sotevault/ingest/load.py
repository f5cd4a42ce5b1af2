"""Load one source's new files: read, check against the contract, and write in one transaction
per ingestion batch.

A source's new files form one batch, or several when they are many (a backfill of years):
batches of at most BATCH_BYTES of files on disk, in the landing order, each read, checked and
committed on its own with its own `_batch_id`. Memory then follows the batch, not the backlog
(docs/benchmarks.md: a ten-year backfill), and an interrupted backfill keeps what it committed.

Every row read ends in exactly one place: its raw table (passed the blocking rules) or
audit.quarantine (with every reason), and audit.load_files says so per file. Hetus are
pseudonymised inside DuckDB on the way in; the clear code never reaches a table.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import polars as pl
import pyarrow as pa

from contracts.contract import FILE, LINE, REASONS, Validation
from contracts.fields import Kind
from contracts.rules import STRUCTURE_ERROR
from contracts.sources import CONTRACTS
from sotevault.ingest.check import FILE_DATE, FILE_VERSION, check_batch, read_files, unreadable_reason
from sotevault.ingest.triage import triage
from sotevault.pseudonym import scrub
from sotevault.warehouse import raw_column
from sources.registry import LandedFile

Log = Callable[[str], None]

# The most file bytes one ingestion batch reads: about a year of the largest source at full
# scale. Reading, checking and typing take ~30 bytes of memory per byte of file, so ~2 GB at
# most (docs/benchmarks.md: the ten-year backfill).
BATCH_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class FileOutcome:
    source: str
    file_name: str
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str | None = None


@dataclass
class SourceOutcome:
    source: str
    files: list[FileOutcome] = field(default_factory=list)
    unchanged: int = 0
    seconds: float = 0.0

    @property
    def refused(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "refused"]

    def total(self, attr: str) -> int:
        return sum(int(getattr(f, attr)) for f in self.files)


def load_source(
    con: duckdb.DuckDBPyConnection,
    source: str,
    files: list[LandedFile],
    run_id: str,
    loaded_at: datetime,
    log: Log = print,
    batch_bytes: int = BATCH_BYTES,
    hash_every_file: bool = False,
) -> SourceOutcome:
    """Load every new file of one source; `con` has the warehouse schema and sv_ macros.

    `hash_every_file`: read every landed file again to see none was rewritten, not only those
    whose size, times or inode moved since it was last hashed (the weekly full check)."""
    started = time.perf_counter()
    plan = triage(con, source, files, loaded_at, hash_every_file)
    outcome = SourceOutcome(source, unchanged=plan.unchanged)
    first_by_sha: dict[str, str] = {}  # a re-send is told apart across the source's batches
    chunks = batches_of(plan.new, batch_bytes)
    for number, chunk in enumerate(chunks):
        tables, shas, refused = _read_new(chunk, len(plan.new), sum(len(c) for c in chunks[:number]), log)
        tables, in_batch_duplicates = _split_copies(tables, shas, first_by_sha)
        # Files refused or duplicated before reading are recorded with the first batch.
        first = number == 0
        _commit_batch(
            con,
            run_id,
            source,
            tables,
            shas,
            [*(plan.refused if first else []), *refused],
            [*(plan.duplicates if first else []), *in_batch_duplicates],
            loaded_at,
            outcome,
            log,
        )
    outcome.seconds = time.perf_counter() - started
    return outcome


def batches_of(new: list[tuple[LandedFile, str]], batch_bytes: int) -> list[list[tuple[LandedFile, str]]]:
    """The new files in landing order, cut into batches of at most `batch_bytes` (a larger file
    is a batch of its own); one empty batch when there is nothing new, so that refusals and
    duplicates are still recorded."""
    chunks: list[list[tuple[LandedFile, str]]] = [[]]
    size = 0
    for item in new:
        file_size = item[0].path.stat().st_size
        if chunks[-1] and size + file_size > batch_bytes:
            chunks.append([])
            size = 0
        chunks[-1].append(item)
        size += file_size
    return chunks


def _commit_batch(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    source: str,
    tables: list[tuple[LandedFile, pa.Table]],
    shas: dict[str, str],
    refused: list[tuple[LandedFile, str, str]],
    duplicates: list[tuple[LandedFile, str, str]],
    loaded_at: datetime,
    outcome: SourceOutcome,
    log: Log,
) -> None:
    con.execute("begin transaction")
    try:
        batch_id = int(con.execute("select nextval('audit.load_batch_seq')").fetchall()[0][0])
        for landed, sha, reason in refused:
            why = scrub(reason)  # a reader's message may quote a row of the file
            _refuse(con, run_id, batch_id, landed, sha, why, loaded_at)
            outcome.files.append(FileOutcome(source, landed.file_name, "refused", message=why))
            log(f"REFUSED {landed.source.directory}/{landed.file_name}: {why}")
        for landed, sha, original in duplicates:
            message = f"identical to {original}, already loaded: nothing new"
            _audit_file(con, run_id, batch_id, landed, sha, 0, 0, 0, loaded_at, "duplicate", message)
            outcome.files.append(FileOutcome(source, landed.file_name, "duplicate", message=message))
        if tables:
            outcome.files.extend(_load_batch(con, source, tables, shas, run_id, batch_id, loaded_at, log))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _read_new(
    new: list[tuple[LandedFile, str]], total: int, before: int, log: Log
) -> tuple[list[tuple[LandedFile, pa.Table]], dict[str, str], list[tuple[LandedFile, str, str]]]:
    sha_of = {landed.file_name: sha for landed, sha in new}

    def progress(done: int, _: int) -> None:
        if (before + done) % 50 == 0 or before + done == total:
            log(f"{new[0][0].source.name}: read {before + done}/{total} new files")

    tables, unreadable = read_files([landed for landed, _ in new], progress)
    shas = {landed.file_name: sha_of[landed.file_name] for landed, _ in tables}
    refused = [
        (landed, sha_of[landed.file_name], unreadable_reason(landed, str(err))) for landed, err in unreadable
    ]
    return tables, shas, refused


def _split_copies(
    tables: list[tuple[LandedFile, pa.Table]], shas: dict[str, str], first_by_sha: dict[str, str]
) -> tuple[list[tuple[LandedFile, pa.Table]], list[tuple[LandedFile, str, str]]]:
    """A file with rows whose bytes equal an earlier new file of the source is a re-send
    (`first_by_sha` carries the earlier ones from batch to batch)."""
    kept: list[tuple[LandedFile, pa.Table]] = []
    copies: list[tuple[LandedFile, str, str]] = []
    for landed, table in tables:
        sha = shas[landed.file_name]
        if table.num_rows and sha in first_by_sha:
            copies.append((landed, sha, first_by_sha[sha]))
            continue
        if table.num_rows:
            first_by_sha[sha] = landed.file_name
        kept.append((landed, table))
    return kept, copies


def _load_batch(
    con: duckdb.DuckDBPyConnection,
    source: str,
    tables: list[tuple[LandedFile, pa.Table]],
    shas: dict[str, str],
    run_id: str,
    batch_id: int,
    loaded_at: datetime,
    log: Log,
) -> list[FileOutcome]:
    checked = check_batch(source, tables)
    validation = checked.validation
    typed = CONTRACTS[source].typed(validation.passed)
    _insert_raw(con, source, typed, batch_id, loaded_at)
    _insert_quarantine(con, run_id, source, validation, loaded_at)
    _insert_rule_results(con, run_id, source, validation)
    counts = checked.counts()
    outcomes = []
    for landed, _ in tables:
        c = counts[landed.file_name]
        _audit_file(
            con,
            run_id,
            batch_id,
            landed,
            shas[landed.file_name],
            c.rows_read,
            c.rows_loaded,
            c.rows_quarantined,
            loaded_at,
            "loaded",
            None,
        )
        outcomes.append(
            FileOutcome(source, landed.file_name, "loaded", c.rows_read, c.rows_loaded, c.rows_quarantined)
        )
    log(
        f"{source}: {len(tables)} files, {validation.rows.height} rows read, "
        f"{validation.passed.height} loaded, {validation.quarantined.height} quarantined"
    )
    return outcomes


def _insert_raw(
    con: duckdb.DuckDBPyConnection, source: str, typed: pl.DataFrame, batch_id: int, loaded_at: datetime
) -> None:
    contract = CONTRACTS[source]
    selects = []
    for f in contract.fields:
        expr = f'sv_pseudonym("{f.name}")' if f.kind is Kind.HETU else f'"{f.name}"'
        selects.append(f"{expr} as {raw_column(f)}")
    batch = typed.select(*[f.name for f in contract.fields], FILE, LINE, FILE_DATE, FILE_VERSION)
    with _registered(con, "sv_batch", batch):
        con.execute(
            f"""
            insert into raw.{source}
            select {", ".join(selects)},
                   _file_name, _line_number, _file_date, _file_version, ?, ?::timestamptz
            from sv_batch
            """,
            [batch_id, loaded_at],
        )


def _insert_quarantine(
    con: duckdb.DuckDBPyConnection, run_id: str, source: str, validation: Validation, loaded_at: datetime
) -> None:
    quarantined = validation.quarantined.select(
        FILE,
        LINE,
        REASONS,
        pl.col(REASONS)
        .list.eval(pl.element().str.extract(r"^([a-z_0-9]+)", 1))
        .list.unique()
        .list.sort()
        .alias("rule_ids"),
        "_raw",
        STRUCTURE_ERROR,
    )
    # A structurally broken row's reason is what the reader found (e.g. the field count).
    with _registered(con, "sv_quarantined", quarantined):
        con.execute(
            """
            insert into audit.quarantine
            select ?, ?, _file_name, _line_number,
                   case when _structure_error is null then _reasons
                        else list_prepend('row_structure: ' || _structure_error,
                                          list_filter(_reasons, lambda r: r not like 'row_structure%'))
                   end,
                   rule_ids, sv_scrub(_raw), ?::timestamptz
            from sv_quarantined
            """,
            [run_id, source, loaded_at],
        )


def _insert_rule_results(
    con: duckdb.DuckDBPyConnection, run_id: str, source: str, validation: Validation
) -> None:
    counts = validation.rule_counts().join(validation.rows.select(FILE, FILE_DATE).unique(FILE), on=FILE)
    with _registered(con, "sv_rule_counts", counts):
        con.execute(
            """
            insert into audit.rule_results
            select ?, ?, _file_name, _file_date, rule_id, severity, records_checked, records_failing
            from sv_rule_counts
            """,
            [run_id, source],
        )


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """A frame visible to SQL under `name` for the duration of one statement."""
    con.register(name, frame.to_arrow())
    try:
        yield
    finally:
        con.unregister(name)


def _audit_file(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    batch_id: int,
    landed: LandedFile,
    sha: str,
    read: int,
    loaded: int,
    quarantined: int,
    loaded_at: datetime,
    status: str,
    message: str | None,
) -> None:
    con.execute(
        "insert into audit.load_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            batch_id,
            landed.source.name,
            landed.file_name,
            sha,
            landed.file_date,
            landed.file_version,
            landed.path.stat().st_size,
            read,
            loaded,
            quarantined,
            loaded_at,
            status,
            message,
        ],
    )


def _refuse(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    batch_id: int,
    landed: LandedFile,
    sha: str,
    why: str,
    loaded_at: datetime,
) -> None:
    already = con.execute(
        "select count(*) from audit.load_files "
        "where source = ? and file_name = ? and sha256 = ? and status = 'refused'",
        [landed.source.name, landed.file_name, sha],
    ).fetchall()[0][0]
    if not already:  # one refused row per distinct changed content, however many runs see it
        _audit_file(con, run_id, batch_id, landed, sha, 0, 0, 0, loaded_at, "refused", why)
