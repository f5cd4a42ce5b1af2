"""`sotevault validate` against a real load: the same figures, rule for rule, line for line."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from sotevault.cli import main
from sotevault.hetu import HETU_SHAPE_RE
from sotevault.synthetic import GenerationReport
from sotevault.synthetic.report import QUALITY_RULES
from sotevault.validation import FileReport, ValidationReport, validate_paths
from sotevault.validation.report import HETU_MASK
from sources.registry import discover

from .conftest import run_cli

pytestmark = pytest.mark.integration

FileKey = tuple[str, str]  # source, file name
RuleKey = tuple[str, str, str]  # source, file name, rule id


@dataclass(frozen=True)
class Audit:
    """What the real load of the landing area wrote, per file."""

    files: dict[FileKey, tuple[str, int, int, int, str | None]]  # status, read, loaded, quarantined, message
    rules: dict[RuleKey, tuple[str, int, int]]  # severity, checked, failing
    quarantined: dict[FileKey, dict[int, set[str]]]  # line -> rule ids


@pytest.fixture(scope="module")
def audit(generated: tuple[Path, GenerationReport], tmp_path_factory: pytest.TempPathFactory) -> Audit:
    landing, _ = generated
    data_dir = tmp_path_factory.mktemp("validate_data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOTEVAULT_PSEUDONYM_KEY", "integration-test-key")
        assert run_cli(landing, data_dir, ingest_only=True) == 0
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        files = {
            (source, name): (status, read, loaded, quarantined, message)
            for source, name, status, read, loaded, quarantined, message in con.execute(
                "select source, file_name, status, rows_read, rows_loaded, rows_quarantined, message "
                "from audit.load_files"
            ).fetchall()
        }
        rules = {
            (source, name, rule_id): (severity, checked, failing)
            for source, name, rule_id, severity, checked, failing in con.execute(
                "select source, file_name, rule_id, severity, records_checked, records_failing "
                "from audit.rule_results"
            ).fetchall()
        }
        quarantined: dict[FileKey, dict[int, set[str]]] = {}
        for source, name, line, rule_ids in con.execute(
            "select source, file_name, line_number, rule_ids from audit.quarantine"
        ).fetchall():
            quarantined.setdefault((source, name), {})[line] = set(rule_ids)
    finally:
        con.close()
    return Audit(files, rules, quarantined)


@pytest.fixture(scope="module")
def validated(generated: tuple[Path, GenerationReport]) -> ValidationReport:
    """The whole landing area, every failing line listed."""
    landing, _ = generated
    return validate_paths([landing], first_lines=1_000_000)


def by_file(report: ValidationReport) -> dict[FileKey, FileReport]:
    return {(f.source or "", f.file_name): f for f in report.files}


def loaded_as(audit: Audit, key: FileKey) -> FileKey:
    """The file whose load holds this file's rows: itself, or the original of a duplicate."""
    status, *_, message = audit.files[key]
    if status == "duplicate":
        assert message is not None
        return key[0], message.split()[2].rstrip(",")
    assert status == "loaded", key
    return key


def test_every_landed_file_is_validated_once(validated: ValidationReport, audit: Audit) -> None:
    assert sorted(by_file(validated)) == sorted(audit.files)
    assert len(validated.files) == len(audit.files) == 189
    assert {f.status for f in validated.files} == {"ok", "would_quarantine"}


def test_rows_equal_the_load_audit(validated: ValidationReport, audit: Audit) -> None:
    statuses = {audit.files[key][0] for key in audit.files}
    assert statuses == {"loaded", "duplicate"}  # the re-sent copy: compared with its original
    for key, file in by_file(validated).items():
        _, read, loaded, quarantined, _ = audit.files[loaded_as(audit, key)]
        assert (file.rows_read, file.rows_would_load, file.rows_would_quarantine) == (
            read,
            loaded,
            quarantined,
        ), key
    assert validated.total("rows_would_quarantine") == 103


def test_rule_counts_equal_rule_results(validated: ValidationReport, audit: Audit) -> None:
    for key, file in by_file(validated).items():
        source, name = loaded_as(audit, key)
        expected = {
            rule_id: result for (s, n, rule_id), result in audit.rules.items() if (s, n) == (source, name)
        }
        found = {r.rule_id: (r.severity, r.records_checked, r.records_failing) for r in file.rules}
        assert found == expected, key
        assert all(len(r.first_lines) == r.records_failing for r in file.rules), key


def test_failing_lines_equal_quarantine_rule_for_rule(validated: ValidationReport, audit: Audit) -> None:
    for key, file in by_file(validated).items():
        quarantined = audit.quarantined.get(loaded_as(audit, key), {})
        assert set(quarantined) == {n for r in file.rules if r.blocking for n in r.first_lines}, key
        for rule in file.rules:
            in_quarantine = {line for line, rule_ids in quarantined.items() if rule.rule_id in rule_ids}
            if rule.blocking:
                assert set(rule.first_lines) == in_quarantine, (key, rule.rule_id)
            else:  # a quality fault loads; a quarantined row lists it among its reasons
                assert in_quarantine <= set(rule.first_lines), (key, rule.rule_id)


def test_failing_lines_and_columns_are_the_injected_faults(
    validated: ValidationReport, generated: tuple[Path, GenerationReport]
) -> None:
    _, report = generated
    found = {
        (f.source, f.file_name, line, r.rule_id)
        for f in validated.files
        for r in f.rules
        for line in r.first_lines
    }
    assert found == {(f.source, f.file_name, f.line_number, f.rule_id) for f in report.faults}
    assert len(found) == 121
    # A field rule names the columns it failed on; a rule of the whole row (times in order) none.
    injected: dict[RuleKey, set[str | None]] = {}
    for fault in report.faults:
        injected.setdefault((fault.source, fault.file_name, fault.rule_id), set()).add(fault.column)
    named = [(f, r) for f in validated.files for r in f.rules if r.columns]
    assert len(named) > 40
    for file, rule in named:
        assert set(rule.columns) == injected[(file.source or "", file.file_name, rule.rule_id)], rule


def run_validate(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    code = main(["validate", *[str(a) for a in args]])
    return code, capsys.readouterr().out


@pytest.fixture(scope="module")
def clean_file(validated: ValidationReport) -> Path:
    """An aptj_a file with no fault at all."""
    return Path(next(f.path for f in validated.files if f.source == "aptj_a" and not f.failing_rules))


@pytest.fixture(scope="module")
def faulty_file(validated: ValidationReport) -> FileReport:
    """An aptj_a file with rows to quarantine."""
    return next(f for f in validated.files if f.source == "aptj_a" and f.rows_would_quarantine)


def test_exit_0_without_quarantine_1_with(
    capsys: pytest.CaptureFixture[str],
    validated: ValidationReport,
    clean_file: Path,
    faulty_file: FileReport,
) -> None:
    quality_only = next(f for f in validated.files if f.failing_rules and not f.rows_would_quarantine)
    assert run_validate(capsys, clean_file)[0] == 0
    assert run_validate(capsys, quality_only.path)[0] == 0  # quality faults are reported, not failed
    assert run_validate(capsys, faulty_file.path)[0] == 1
    assert run_validate(capsys, clean_file, faulty_file.path)[0] == 1


@pytest.fixture
def unreadable(generated: tuple[Path, GenerationReport], tmp_path: Path) -> dict[str, Path]:
    """Files that cannot be read as their source: wrong name, wrong encodings, no header."""
    landing, _ = generated
    files, _ = discover(landing)
    first_a = next(f.path for f in files if f.source.name == "aptj_a")
    ledger = next(
        f.path for f in files if f.source.name == "talous_kirjaukset" and not f.path.read_bytes().isascii()
    )
    out = tmp_path / "out"
    out.mkdir()
    unknown = out / "visits_2024-03-05.csv"
    shutil.copy(first_a, unknown)
    utf8_ledger = out / ledger.name
    utf8_ledger.write_bytes(ledger.read_bytes().decode("iso-8859-1").encode("utf-8"))
    bad_bytes = out / first_a.name
    header, rest = first_a.read_bytes().split(b"\r\n", 1)
    bad_bytes.write_bytes(header + b"\r\n\xff\xfe" + rest)
    headerless = tmp_path / "aptj_a" / "kaynnit_2024-01-01.csv"
    headerless.parent.mkdir()
    headerless.write_bytes(rest)
    return {"unknown": unknown, "utf8_ledger": utf8_ledger, "bad_bytes": bad_bytes, "headerless": headerless}


@pytest.mark.parametrize(
    ("name", "source", "said"),
    [
        ("unknown", None, "matches no source export"),
        ("utf8_ledger", "talous_kirjaukset", "cannot be read as talous_kirjaukset: the file is UTF-8"),
        ("bad_bytes", "aptj_a", "cannot be read as aptj_a: not valid UTF-8 at byte"),
        ("headerless", "aptj_a", "cannot be read as aptj_a: header does not match aptj_a"),
    ],
)
def test_exit_2_for_a_file_that_cannot_be_read_as_its_source(
    capsys: pytest.CaptureFixture[str],
    unreadable: dict[str, Path],
    clean_file: Path,
    name: str,
    source: str | None,
    said: str,
) -> None:
    code, out = run_validate(capsys, "--format", "json", unreadable[name], clean_file)
    assert code == 2
    document = json.loads(out)
    bad, good = document["files"]
    assert (bad["path"], bad["source"], bad["status"], bad["rows_read"], bad["rules"]) == (
        str(unreadable[name]),
        source,
        "unreadable",
        0,
        [],
    )
    assert said in bad["error"], bad["error"]
    assert good["status"] == "ok"
    assert not HETU_SHAPE_RE.search(out)


def test_a_headerless_file_quoted_back_has_its_hetu_masked(
    capsys: pytest.CaptureFixture[str], unreadable: dict[str, Path]
) -> None:
    for fmt in ("text", "json", "junit"):
        code, out = run_validate(capsys, "--format", fmt, unreadable["headerless"])
        assert code == 2
        assert HETU_MASK in out
        assert not HETU_SHAPE_RE.search(out), fmt


def test_a_single_file_outside_the_landing_area(
    capsys: pytest.CaptureFixture[str], faulty_file: FileReport, tmp_path: Path
) -> None:
    copy = tmp_path / "out" / faulty_file.file_name
    copy.parent.mkdir()
    shutil.copy(faulty_file.path, copy)
    code, out = run_validate(capsys, "--format", "json", "--lines", "1000000", copy)
    assert code == 1
    (found,) = json.loads(out)["files"]
    assert found["path"] == str(copy)
    assert found["source"] == "aptj_a"
    assert (found["rows_read"], found["rows_would_load"], found["rows_would_quarantine"]) == (
        faulty_file.rows_read,
        faulty_file.rows_would_load,
        faulty_file.rows_would_quarantine,
    )
    assert [(r["rule_id"], r["records_failing"], r["first_lines"]) for r in found["rules"]] == [
        (r.rule_id, r.records_failing, list(r.first_lines)) for r in faulty_file.rules
    ]


@pytest.fixture(scope="module")
def outputs(generated: tuple[Path, GenerationReport]) -> dict[str, tuple[int, str]]:
    """The landing area in every format, through the command line: exit status and output."""
    landing, _ = generated
    found = {}
    for fmt in ("text", "json", "junit"):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            code = main(["validate", "--format", fmt, str(landing)])
        found[fmt] = (code, buffer.getvalue())
    return found


def test_json_has_every_field(outputs: dict[str, tuple[int, str]], validated: ValidationReport) -> None:
    code, out = outputs["json"]
    document = json.loads(out)
    assert code == document["exit_code"] == 1
    assert document["first_lines"] == 5
    assert document["totals"] == {
        "files": 189,
        "files_would_quarantine": validated.count("would_quarantine"),
        "files_unreadable": 0,
        "rows_read": validated.total("rows_read"),
        "rows_would_load": validated.total("rows_would_load"),
        "rows_would_quarantine": 103,
    }
    for file, expected in zip(document["files"], validated.files, strict=True):
        assert set(file) == {
            "path",
            "file_name",
            "source",
            "status",
            "error",
            "rows_read",
            "rows_would_load",
            "rows_would_quarantine",
            "rules",
        }
        assert (file["path"], file["rows_would_quarantine"]) == (
            expected.path,
            expected.rows_would_quarantine,
        )
        for rule, full in zip(file["rules"], expected.rules, strict=True):
            assert rule["first_lines"] == list(full.first_lines[:5])
            assert rule["records_failing"] == full.records_failing
            assert rule["description"]


def test_junit_has_a_test_case_per_file_and_rule(
    outputs: dict[str, tuple[int, str]], validated: ValidationReport
) -> None:
    code, out = outputs["junit"]
    assert code == 1
    root = ET.fromstring(out)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [f.path for f in validated.files]
    for suite, file in zip(suites, validated.files, strict=True):
        cases = {c.get("name"): c for c in suite.findall("testcase")}
        assert set(cases) == {"readable"} | {r.rule_id for r in file.rules}
        failing = {name for name, c in cases.items() if c.find("failure") is not None}
        assert failing == {r.rule_id for r in file.rules if r.blocking and r.records_failing}
        noted = {name for name, c in cases.items() if c.find("system-out") is not None} - {"readable"}
        assert noted == {r.rule_id for r in file.rules if not r.blocking and r.records_failing}
        assert noted <= set(QUALITY_RULES)
        assert suite.get("failures") == str(len(failing))
    assert int(root.get("failures", "")) == sum(
        1 for f in validated.files for r in f.rules if r.blocking and r.records_failing
    )
    assert root.get("errors") == "0"


def test_text_names_every_file_and_failing_rule(
    outputs: dict[str, tuple[int, str]], validated: ValidationReport, faulty_file: FileReport
) -> None:
    code, out = outputs["text"]
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == len(validated.files) + sum(len(f.failing_rules) for f in validated.files) + 1
    at = lines.index(
        f"QUARANTINE {faulty_file.path} (aptj_a): {faulty_file.rows_read} rows read, "
        f"{faulty_file.rows_would_load} would load, {faulty_file.rows_would_quarantine} would be quarantined"
    )
    rule_lines = lines[at + 1 : at + 1 + len(faulty_file.failing_rules)]
    for line, rule in zip(rule_lines, faulty_file.failing_rules, strict=True):
        columns = f" [{', '.join(rule.columns)}]" if rule.columns else ""
        shown = ", ".join(str(n) for n in rule.first_lines[:5])
        where = ("line " if rule.records_failing == 1 else "lines ") + shown
        more = " (first 5)" if rule.records_failing > 5 else ""
        assert line == (
            f"    {rule.severity:<8} {rule.rule_id}{columns}: "
            f"fails on {rule.records_failing} of {rule.records_checked} rows checked, {where}{more}"
        )
    assert lines[-1].startswith(f"{len(validated.files)} files: ")


def test_no_hetu_in_any_output(outputs: dict[str, tuple[int, str]]) -> None:
    for fmt, (_, out) in outputs.items():
        assert not HETU_SHAPE_RE.search(out), fmt
