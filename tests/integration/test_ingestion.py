"""The ingestion stage end to end: generated county → `sotevault run` → raw, quarantine, audit."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from contracts.fields import FIELDS
from sotevault.hetu import HETU_SHAPE_RE
from sotevault.synthetic import GenerationReport
from sources.read import read_file
from sources.registry import discover

from .conftest import LoadedCounty, run_cli

pytestmark = pytest.mark.integration

# The shape of a hetu exactly as sources.md writes it (upper-case century signs).
STRICT_HETU = re.compile(r"[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-FHJ-NPR-Y]")


def test_first_run_succeeds(county: LoadedCounty) -> None:
    assert county.exit_code == 0


def test_every_landed_file_has_one_audit_row_and_counts_add_up(county: LoadedCounty) -> None:
    files, unknown = discover(county.landing)
    assert unknown == []
    with county.connect() as con:
        rows = con.execute(
            "select source, file_name, status, rows_read, rows_loaded, rows_quarantined from audit.load_files"
        ).fetchall()
    assert sorted((r[0], r[1]) for r in rows) == sorted((f.source.name, f.file_name) for f in files)
    for source, name, _, read, loaded, quarantined in rows:
        assert read == loaded + quarantined, (source, name)


def test_rows_read_equal_reader_rows_and_land_in_raw_or_quarantine(county: LoadedCounty) -> None:
    files, _ = discover(county.landing)
    with county.connect() as con:
        for landed in files:
            (status, read, loaded, quarantined) = con.execute(
                "select status, rows_read, rows_loaded, rows_quarantined from audit.load_files "
                "where source = ? and file_name = ?",
                [landed.source.name, landed.file_name],
            ).fetchall()[0]
            if status != "loaded":
                continue
            assert read == read_file(landed).num_rows
            in_raw = con.execute(
                f"select count(*) from raw.{landed.source.name} where _file_name = ?", [landed.file_name]
            ).fetchall()[0][0]
            in_quarantine = con.execute(
                "select count(*) from audit.quarantine where source = ? and file_name = ?",
                [landed.source.name, landed.file_name],
            ).fetchall()[0][0]
            assert (in_raw, in_quarantine) == (loaded, quarantined), landed.file_name


def test_every_injected_fault_is_caught_by_its_rule(county: LoadedCounty) -> None:
    report = county.report
    assert report.faults, "the generator injected no faults"
    with county.connect() as con:
        quarantined = {
            (source, name, line): set(rule_ids)
            for source, name, line, rule_ids in con.execute(
                "select source, file_name, line_number, rule_ids from audit.quarantine"
            ).fetchall()
        }
        for fault in report.faults:
            key = (fault.source, fault.file_name, fault.line_number)
            if fault.rule_id in {
                "times_in_order",
                "optional_value_valid",
                "dg_recorded",
                "assessment_recorded",
            }:
                # Quality faults load; the rule counts them in its file's results.
                failing = con.execute(
                    "select records_failing from audit.rule_results where source = ? and file_name = ? "
                    "and rule_id = ?",
                    [fault.source, fault.file_name, fault.rule_id],
                ).fetchall()
                assert failing and failing[0][0] >= 1, fault
                assert key not in quarantined or fault.rule_id in quarantined[key], fault
            else:
                assert key in quarantined, fault
                assert fault.rule_id in quarantined[key], (fault, quarantined[key])


def test_nothing_is_quarantined_that_was_not_injected(county: LoadedCounty) -> None:
    blocking = {
        (f.source, f.file_name, f.line_number)
        for f in county.report.faults
        if f.rule_id not in {"times_in_order", "optional_value_valid", "dg_recorded", "assessment_recorded"}
    }
    with county.connect() as con:
        quarantined = set(
            con.execute("select source, file_name, line_number from audit.quarantine").fetchall()
        )
    assert quarantined == blocking


def test_no_clear_hetu_anywhere_in_the_warehouse(county: LoadedCounty) -> None:
    files, _ = discover(county.landing)
    clear: set[str] = set()
    for landed in files:
        table = read_file(landed)
        for field in FIELDS[landed.source.name]:
            if field.kind.value == "hetu":
                clear.update(v.strip().upper() for v in table.column(field.name).to_pylist() if v)
        for raw in table.column("_raw").to_pylist():
            clear.update(m.upper() for m in HETU_SHAPE_RE.findall(raw or ""))
    assert len(clear) > 100
    with county.connect() as con:
        columns = con.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns "
            "where data_type like 'VARCHAR%'"
        ).fetchall()
        assert columns
        for schema, table, column, _ in columns:
            texts = con.execute(
                f'select distinct cast("{column}" as varchar) from "{schema}"."{table}" '
                f'where "{column}" is not null'
            ).fetchall()
            for (text,) in texts:
                assert not STRICT_HETU.search(text), (schema, table, column)
                assert not any(code in text.upper() for code in clear if code in text.upper()), (
                    schema,
                    table,
                )


def test_quarantine_keeps_pseudonymised_raw_text(county: LoadedCounty) -> None:
    with county.connect() as con:
        rows = con.execute("select raw_text, reasons from audit.quarantine").fetchall()
    assert rows
    for raw_text, reasons in rows:
        assert raw_text is not None
        assert not HETU_SHAPE_RE.search(raw_text)
        assert reasons and all(": " in r for r in reasons)


def test_second_run_loads_nothing(county: LoadedCounty, tmp_path: Path) -> None:
    with county.connect() as con:
        before = con.execute("select count(*), sum(rows_loaded) from audit.load_files").fetchall()
    # A run on the same landing area and warehouse: nothing is new.
    assert run_cli(county.landing, county.data_dir, ingest_only=True) == 0
    with county.connect() as con:
        after = con.execute("select count(*), sum(rows_loaded) from audit.load_files").fetchall()
    assert after == before


def _status(data_dir: Path) -> dict[tuple[str, str], list[str]]:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "select source, file_name, status from audit.load_files order by loaded_at"
        ).fetchall()
    finally:
        con.close()
    found: dict[tuple[str, str], list[str]] = {}
    for source, name, status in rows:
        found.setdefault((source, name), []).append(status)
    return found


def _count(data_dir: Path, sql: str) -> int:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return int(con.execute(sql).fetchall()[0][0])
    finally:
        con.close()


def test_late_duplicate_and_changed_files(county_copy: tuple[Path, GenerationReport], tmp_path: Path) -> None:
    landing, _ = county_copy
    data_dir = tmp_path / "data"
    assert run_cli(landing, data_dir, ingest_only=True) == 0
    files, _ = discover(landing)
    raw_before = _count(data_dir, "select count(*) from raw.sos_paatokset")

    # Changed after landing: refused.
    changed = next(f for f in files if f.source.name == "sos_paatokset")
    changed.path.write_bytes(
        changed.path.read_bytes() + changed.path.read_bytes().splitlines(keepends=True)[-1]
    )
    # A late file whose name sorts before every loaded one: new, so loaded.
    first_a = next(f for f in files if f.source.name == "aptj_a")
    late = landing / "aptj_a" / "kaynnit_2000-01-01.csv"
    late.write_bytes(b"".join(first_a.path.read_bytes().splitlines(keepends=True)[:2]))
    # Another name, the content of a loaded file: a duplicate, nothing loads.
    first_b = next(f for f in files if f.source.name == "aptj_b")
    copy = landing / "aptj_b" / "encounters_20000101T000000Z.jsonl"
    copy.write_bytes(first_b.path.read_bytes())

    assert run_cli(landing, data_dir, ingest_only=True) == 3
    status = _status(data_dir)
    assert status[("sos_paatokset", changed.file_name)] == ["loaded", "refused"]
    assert status[("aptj_a", late.name)] == ["loaded"]
    assert status[("aptj_b", copy.name)] == ["duplicate"]
    assert _count(data_dir, "select count(*) from raw.sos_paatokset") == raw_before
    assert _count(data_dir, f"select count(*) from raw.aptj_a where _file_name = '{late.name}'") == 1
    assert _count(data_dir, f"select count(*) from raw.aptj_b where _file_name = '{copy.name}'") == 0

    # Every later run alerts while the landing area holds the changed file, and records it once.
    assert run_cli(landing, data_dir, ingest_only=True) == 3
    assert _count(data_dir, "select count(*) from audit.load_files where status = 'refused'") == 1


def test_unrecognised_file_is_refused(county_copy: tuple[Path, GenerationReport], tmp_path: Path) -> None:
    landing, _ = county_copy
    (landing / "aptj_a" / "notes.txt").write_text("not an export", encoding="utf-8")
    data_dir = tmp_path / "data"
    assert run_cli(landing, data_dir, ingest_only=True) == 3
    assert _status(data_dir)[("unrecognised", "aptj_a/notes.txt")] == ["refused"]


def test_a_refusal_quoting_a_row_keeps_no_hetu(
    county_copy: tuple[Path, GenerationReport], tmp_path: Path
) -> None:
    # A file without its header: the reader's message quotes the first row, hetu and all.
    landing, _ = county_copy
    files, _ = discover(landing)
    victim = next(f for f in files if f.source.name == "sos_paatokset" and f.path.stat().st_size > 200)
    lines = victim.path.read_bytes().splitlines(keepends=True)
    victim.path.write_bytes(b"".join(lines[1:]))
    data_dir = tmp_path / "data"
    assert run_cli(landing, data_dir, ingest_only=True) == 3
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        (message,) = con.execute(
            "select message from audit.load_files where file_name = ? and status = 'refused'",
            [victim.file_name],
        ).fetchall()[0]
    finally:
        con.close()
    assert "cannot be read" in message
    assert not STRICT_HETU.search(message) and not HETU_SHAPE_RE.search(message)


def test_a_backlog_loads_in_size_bounded_batches_that_add_up(
    county_copy: tuple[Path, GenerationReport], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many new files load as several batches (memory follows the batch, not the backlog), in
    landing order, each file once; a re-send is still told apart across batches."""
    from datetime import UTC, datetime

    from sotevault.ingest.landing import landed_files
    from sotevault.ingest.load import load_source
    from sotevault.pseudonym import install_macros
    from sotevault.warehouse import connect, ensure_schema

    monkeypatch.setenv("SOTEVAULT_PSEUDONYM_KEY", "integration-test-key")
    landing, _ = county_copy
    first = landed_files(landing, "aptj_a")[0]
    resend = landing / "aptj_a" / "kaynnit_2099-12-31.csv"  # sorts last, content of the first
    resend.write_bytes(first.path.read_bytes())
    files = landed_files(landing, "aptj_a")
    size_of = {f.file_name: f.path.stat().st_size for f in files}
    limit = 3 * max(size_of.values())
    con = connect(tmp_path / "warehouse.duckdb")
    try:
        ensure_schema(con)
        install_macros(con)
        outcome = load_source(
            con, "aptj_a", files, "test-run", datetime.now(UTC), log=lambda _: None, batch_bytes=limit
        )
        rows = con.execute(
            "select file_name, batch_id, status, rows_read, rows_loaded, rows_quarantined "
            "from audit.load_files where source = 'aptj_a' order by file_name"
        ).fetchall()
        raw = con.execute("select count(*) from raw.aptj_a").fetchall()[0][0]
    finally:
        con.close()
    assert len(rows) == len(files) == len(outcome.files)
    loaded = [r for r in rows if r[2] == "loaded"]
    batches = [r[1] for r in loaded]
    assert len(set(batches)) > 1
    for batch in set(batches):
        names = [r[0] for r in loaded if r[1] == batch]
        assert len(names) == 1 or sum(size_of[n] for n in names) <= limit
    assert batches == sorted(batches), "batches follow the landing order"
    assert next(r for r in rows if r[0] == resend.name)[2] == "duplicate"
    assert all(r[3] == r[4] + r[5] for r in rows)
    assert raw == sum(r[4] for r in rows)


def test_a_loaded_file_is_read_again_only_when_its_stamp_moves(
    county_copy: tuple[Path, GenerationReport], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A night's run does not re-hash the history (sotevault/ingest/file_hashes.py): a file whose
    size, times and inode have not moved keeps its hash; a rewrite is still refused even when it
    keeps the size and the modification time (the ctime moves); the full check reads every file."""
    import os
    from datetime import UTC, datetime

    from sotevault.ingest import file_hashes
    from sotevault.ingest.landing import landed_files
    from sotevault.ingest.load import load_source
    from sotevault.pseudonym import install_macros
    from sotevault.warehouse import connect, ensure_schema

    monkeypatch.setenv("SOTEVAULT_PSEUDONYM_KEY", "integration-test-key")
    hashed: list[str] = []
    real_sha256_of = file_hashes.sha256_of

    def counting_sha256_of(path: Path) -> str:
        hashed.append(path.name)
        return real_sha256_of(path)

    monkeypatch.setattr(file_hashes, "sha256_of", counting_sha256_of)
    landing, _ = county_copy
    files = landed_files(landing, "sos_paatokset")
    con = connect(tmp_path / "warehouse.duckdb")

    def load(hash_every_file: bool = False) -> list[str]:
        hashed.clear()
        outcome = load_source(
            con,
            "sos_paatokset",
            landed_files(landing, "sos_paatokset"),
            "test-run",
            datetime.now(UTC),
            log=lambda _: None,
            hash_every_file=hash_every_file,
        )
        return [f.file_name for f in outcome.files if f.status == "refused"]

    try:
        ensure_schema(con)
        install_macros(con)
        assert load() == [] and sorted(hashed) == sorted(f.file_name for f in files)
        kept = con.execute(
            "select file_name, sha256 from audit.landed_file_hashes where source = 'sos_paatokset'"
        ).fetchall()
        assert sorted(kept) == sorted((f.file_name, file_hashes.sha256_of(f.path)) for f in files)

        assert load() == [] and hashed == []  # nothing moved: nothing read
        assert load(hash_every_file=True) == [] and len(hashed) == len(files)

        # Same size, same modification time, other content: the ctime gives it away.
        victim = next(f for f in files if f.path.stat().st_size > 200)
        before = victim.path.stat()
        content = bytearray(victim.path.read_bytes())
        content[-2] = ord("0") if content[-2] != ord("0") else ord("1")
        victim.path.write_bytes(bytes(content))
        os.utime(victim.path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert victim.path.stat().st_size == before.st_size
        assert victim.path.stat().st_mtime_ns == before.st_mtime_ns
        assert load() == [victim.file_name] and hashed == [victim.file_name]
        # Refused on every run while it lies there (recorded once), without reading it again.
        assert load() == [victim.file_name] and hashed == []
        refusals = "select count(*) from audit.load_files where status = 'refused'"
        assert con.execute(refusals).fetchall()[0][0] == 1

        # Touched but not changed (a copy that keeps nothing of the stamp): read, still unchanged.
        other = next(f for f in files if f is not victim)
        os.utime(other.path)
        assert load() == [victim.file_name] and hashed == [other.file_name]
    finally:
        con.close()
