"""`sotevault validate`: the report formats on a hand-made report, and a few hand-written files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from sotevault.hetu import CHECK_CHARS, HETU_SHAPE_RE, make_hetu
from sotevault.validation import FileReport, RuleReport, ValidationReport, validate_paths
from sotevault.validation.formats import as_json, as_junit, as_text
from sotevault.validation.report import HETU_MASK, without_hetus
from sources.registry import UnrecognisedFileError, recognise_by_name

QUARANTINE = FileReport(
    "landing/aptj_a/kaynnit_2024-03-05.csv",
    "aptj_a",
    rows_read=10,
    rows_would_quarantine=2,
    rules=(
        RuleReport("code_in_list", "blocking", 10, 0),
        RuleReport("hetu_valid", "blocking", 10, 2, ("hetu",), (3, 7)),
        RuleReport("times_in_order", "quality", 9, 6, (), (2, 4, 5, 8, 9)),
    ),
)
CLEAN = FileReport(
    "/tmp/out/vaesto_2023.csv",
    "vaesto",
    rows_read=70,
    rules=(RuleReport("value_in_range", "blocking", 70, 0),),
)
UNKNOWN = FileReport("/tmp/out/visits.csv", None, error="visits.csv matches no source export's file name")
REPORT = ValidationReport((QUARANTINE, CLEAN, UNKNOWN), first_lines=5)


@pytest.mark.parametrize(
    ("files", "code"),
    [((QUARANTINE, CLEAN, UNKNOWN), 2), ((QUARANTINE, CLEAN), 1), ((CLEAN,), 0), ((), 0)],
)
def test_exit_code(files: tuple[FileReport, ...], code: int) -> None:
    assert ValidationReport(files, 5).exit_code == code


def test_text() -> None:
    assert as_text(REPORT).splitlines() == [
        "QUARANTINE landing/aptj_a/kaynnit_2024-03-05.csv (aptj_a): "
        "10 rows read, 8 would load, 2 would be quarantined",
        "    blocking hetu_valid [hetu]: fails on 2 of 10 rows checked, lines 3, 7",
        "    quality  times_in_order: fails on 6 of 9 rows checked, lines 2, 4, 5, 8, 9 (first 5)",
        "ok         /tmp/out/vaesto_2023.csv (vaesto): 70 rows read, 70 would load, 0 would be quarantined",
        "UNREADABLE /tmp/out/visits.csv: visits.csv matches no source export's file name",
        "3 files: 1 ok, 1 would quarantine rows, 1 cannot be read; "
        "80 rows read, 78 would load, 2 would be quarantined",
    ]


def test_json() -> None:
    document = json.loads(as_json(REPORT))
    assert document["exit_code"] == 2
    assert document["first_lines"] == 5
    assert document["totals"] == {
        "files": 3,
        "files_would_quarantine": 1,
        "files_unreadable": 1,
        "rows_read": 80,
        "rows_would_load": 78,
        "rows_would_quarantine": 2,
    }
    first, _, unknown = document["files"]
    assert {k: v for k, v in first.items() if k != "rules"} == {
        "path": "landing/aptj_a/kaynnit_2024-03-05.csv",
        "file_name": "kaynnit_2024-03-05.csv",
        "source": "aptj_a",
        "status": "would_quarantine",
        "error": None,
        "rows_read": 10,
        "rows_would_load": 8,
        "rows_would_quarantine": 2,
    }
    assert first["rules"][1] == {
        "rule_id": "hetu_valid",
        "severity": "blocking",
        "description": "personal identity code well formed with a valid check character",
        "records_checked": 10,
        "records_failing": 2,
        "columns": ["hetu"],
        "first_lines": [3, 7],
    }
    assert [r["rule_id"] for r in first["rules"]] == ["code_in_list", "hetu_valid", "times_in_order"]
    assert (unknown["source"], unknown["status"], unknown["rules"]) == (None, "unreadable", [])


def test_junit() -> None:
    root = ET.fromstring(as_junit(REPORT))
    assert (root.tag, root.get("tests"), root.get("failures"), root.get("errors")) == (
        "testsuites",
        "7",
        "1",
        "1",
    )
    suites = root.findall("testsuite")
    assert [(s.get("name"), s.get("tests"), s.get("failures"), s.get("errors")) for s in suites] == [
        ("landing/aptj_a/kaynnit_2024-03-05.csv", "4", "1", "0"),
        ("/tmp/out/vaesto_2023.csv", "2", "0", "0"),
        ("/tmp/out/visits.csv", "1", "0", "1"),
    ]
    cases = suites[0].findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("aptj_a.kaynnit_2024-03-05_csv", name)
        for name in ("readable", "code_in_list", "hetu_valid", "times_in_order")
    ]
    readable, code_in_list, hetu_valid, times_in_order = cases
    assert readable.findtext("system-out") == "10 rows read, 8 would load, 2 would be quarantined"
    assert list(code_in_list) == []
    failure = hetu_valid.find("failure")
    assert failure is not None
    assert (
        failure.get("message") == "blocking rule hetu_valid in hetu fails on 2 of 10 rows checked, lines 3, 7"
    )
    assert failure.get("type") == "blocking"
    assert times_in_order.find("failure") is None
    assert (times_in_order.findtext("system-out") or "").startswith(
        "quality rule times_in_order fails on 6 of 9 rows checked, lines 2, 4, 5, 8, 9 (first 5)\n"
    )
    (unknown_case,) = suites[2].findall("testcase")
    assert unknown_case.get("classname") == "unrecognised.visits_csv"
    error = unknown_case.find("error")
    assert error is not None
    assert error.get("message") == "visits.csv matches no source export's file name"


def test_without_hetus_masks_every_hetu_shape() -> None:
    text = f"found K1;{make_hetu(date(1990, 1, 1), 912)};638 and 010190a912x"
    assert without_hetus(text) == f"found K1;{HETU_MASK};638 and {HETU_MASK}"


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        ("out/kaynnit_2024-03-05.csv", "aptj_a"),
        ("kirjaukset_2024-03_v2.csv", "talous_kirjaukset"),
        ("out/paatokset_2024-03-05.csv", "sos_paatokset"),
        ("sos/paatokset_2024-03-05.csv", "sos_paatokset"),
    ],
)
def test_recognise_by_name(relative: str, source: str) -> None:
    path = Path("/tmp") / relative
    landed = recognise_by_name(path)
    assert (landed.source.name, landed.path) == (source, path)


@pytest.mark.parametrize(
    "relative", ["out/kaynnit_2024-13-05.csv", "out/visits.csv", "sos/kaynnit_2024-03-05.csv"]
)
def test_recognise_by_name_refuses(relative: str) -> None:
    # In a source directory the directory must fit too, as when `run` reads it.
    with pytest.raises(UnrecognisedFileError):
        recognise_by_name(Path("/tmp") / relative)


HEADER = "asiointi_id,hetu,kunta,palvelu,aloitettu,valmistunut,tyojonolle\n"


def omaolo_rows() -> str:
    good = make_hetu(date(1990, 1, 1), 912)
    bad = good[:-1] + CHECK_CHARS[(CHECK_CHARS.index(good[-1]) + 1) % len(CHECK_CHARS)]
    return (
        HEADER
        + f"OM1,{good},638,oirearvio,2024-03-01T08:00:00Z,2024-03-01T08:10:00Z,0\n"
        + f"OM2,{bad},638,oirearvio,2024-03-01T08:00:00Z,2024-03-01T08:10:00Z,0\n"
        + "OM3,,999,oirearvio,2024-03-01T08:00:00Z,2024-03-01T07:10:00Z,1\n"
    )


def failing(file: FileReport) -> list[tuple[str, str, int, tuple[str, ...], tuple[int, ...]]]:
    return [(r.rule_id, r.severity, r.records_failing, r.columns, r.first_lines) for r in file.failing_rules]


def test_validate_hand_written_files(tmp_path: Path) -> None:
    out, other = tmp_path / "out", tmp_path / "other"
    out.mkdir()
    other.mkdir()
    (out / "asioinnit_2024-03.csv").write_text(omaolo_rows())
    (other / "asioinnit_2024-03.csv").write_text(omaolo_rows().splitlines(keepends=True)[0] * 1)
    given = [out / "asioinnit_2024-03.csv", out, other / "asioinnit_2024-03.csv", tmp_path / "missing.csv"]
    report = validate_paths(given, first_lines=5)

    checked, same_name, missing = report.files  # the file given and found in `out` once
    assert (checked.source, checked.rows_read, checked.rows_would_load, checked.rows_would_quarantine) == (
        "omaolo",
        3,
        1,
        2,
    )
    assert failing(checked) == [
        ("code_in_list", "blocking", 1, ("kunta",), (4,)),
        ("hetu_valid", "blocking", 1, ("hetu",), (3,)),
        ("times_in_order", "quality", 1, (), (4,)),
    ]
    assert (same_name.path, same_name.status, same_name.rows_read, same_name.rules) == (
        str(other / "asioinnit_2024-03.csv"),
        "ok",
        0,
        (),
    )
    assert (missing.status, missing.error) == ("unreadable", "no such file or directory")
    assert report.exit_code == 2
    for text in (as_text(report), as_json(report), as_junit(report)):
        assert not HETU_SHAPE_RE.search(text)


def test_a_directory_without_exports_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "aptj_a").mkdir()
    (tmp_path / "aptj_a" / ".kaynnit_2024-03-05.csv.part").write_text("x")
    (file,) = validate_paths([tmp_path]).files
    assert (file.path, file.status) == (str(tmp_path), "unreadable")
    assert file.error == "no export files here (a landing directory holds <source>/<file>)"
