"""The warehouse file: connecting to it, and the tables ingestion owns (raw.*, audit.*)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from contracts.fields import FIELDS, Field, Kind
from contracts.kinds import raw_type

PSEUDONYM_COLUMN = "person_pseudonym"

AUDIT_DDL = """
create schema if not exists raw;
create schema if not exists audit;
-- One number per ingestion batch (one source in one run), strictly increasing whatever the
-- clock says: the vault's incremental models keep their watermark in batch ids.
create sequence if not exists audit.load_batch_seq start 1;
create table if not exists audit.load_files (
    run_id varchar not null,
    batch_id bigint,
    source varchar not null,
    file_name varchar not null,
    sha256 varchar not null,
    file_date date,
    file_version integer,
    file_bytes bigint,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    loaded_at timestamptz not null,
    status varchar not null,     -- loaded | duplicate | refused
    message varchar
);
-- Each landed file's sha256 and the file's stamp when it was hashed: a file whose stamp has
-- not moved is not read again to see it was not rewritten (sotevault/ingest/file_hashes.py).
create table if not exists audit.landed_file_hashes (
    source varchar not null,
    file_name varchar not null,
    file_bytes bigint not null,
    modified_ns bigint not null,
    changed_ns bigint not null,
    inode ubigint not null,
    sha256 varchar not null,
    hashed_at timestamptz not null,
    primary key (source, file_name)
);
create table if not exists audit.quarantine (
    run_id varchar not null,
    source varchar not null,
    file_name varchar not null,
    line_number integer not null,
    reasons varchar[] not null,
    rule_ids varchar[] not null,
    raw_text varchar,
    quarantined_at timestamptz not null
);
create table if not exists audit.rule_results (
    run_id varchar not null,
    source varchar not null,
    file_name varchar not null,
    file_date date,
    rule_id varchar not null,
    severity varchar not null,
    records_checked bigint not null,
    records_failing bigint not null
);
"""


def raw_column(field: Field) -> str:
    """A field's column in its raw table: the hetu is held only as its pseudonym."""
    return PSEUDONYM_COLUMN if field.kind is Kind.HETU else field.name


def raw_table_ddl(source: str) -> str:
    cols = [f"{raw_column(f)} {raw_type(f)}" for f in FIELDS[source]]
    cols += [
        "_file_name varchar not null",
        "_line_number integer not null",
        "_file_date date",
        "_file_version integer not null",
        "_batch_id bigint not null",
        "_loaded_at timestamptz not null",
    ]
    return f"create table if not exists raw.{source} (\n    " + ",\n    ".join(cols) + "\n)"


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("set TimeZone = 'UTC'")
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(AUDIT_DDL)
    for source in FIELDS:
        con.execute(raw_table_ddl(source))
