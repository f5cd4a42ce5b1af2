"""Every injected fault lies on the line the report names and breaks exactly the named rule;
every other row breaks none."""

from __future__ import annotations

from pathlib import Path

import pytest

from sotevault.synthetic import GenerationReport
from sotevault.synthetic.report import BLOCKING_RULES, QUALITY_RULES
from sources.registry import SOURCES
from tests.unit.test_generator_support import generate, read_rows, row_breaks, source_files

Found = set[tuple[str, str, int, str, str | None]]


def breaks_in(landing: Path) -> Found:
    """Every (source, file, line, rule, column) the independent checks find."""
    found: Found = set()
    for spec in SOURCES:
        for path in source_files(landing, spec.name):
            for row in read_rows(path):
                for rule, column in row_breaks(spec.name, row):
                    found.add((spec.name, path.name, row.line, rule, column))
    return found


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationReport]:
    return generate(tmp_path_factory.mktemp("faulty"), fault_rate=0.01)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationReport]:
    return generate(tmp_path_factory.mktemp("clean"), fault_rate=0.0, seed=5)


def test_faults_found_are_exactly_the_faults_reported(faulty: tuple[Path, GenerationReport]) -> None:
    landing, report = faulty
    reported = {(f.source, f.file_name, f.line_number, f.rule_id, f.column) for f in report.faults}
    assert len(reported) == len(report.faults), "one fault per row"
    assert breaks_in(landing) == reported


def test_every_fault_kind_appears(faulty: tuple[Path, GenerationReport]) -> None:
    _, report = faulty
    rules = {f.rule_id for f in report.faults}
    assert rules == set(BLOCKING_RULES) | set(QUALITY_RULES)
    kinds = {(f.source, f.rule_id, f.column) for f in report.faults}
    assert ("aptj_a", "hetu_valid", "hetu") in kinds
    assert ("aptj_b", "value_in_range", "version") in kinds
    assert ("sos_suoritteet", "value_in_range", "maara") in kinds
    assert ("omaolo", "hetu_valid", "hetu") in kinds
    assert ("talous_kirjaukset", "value_parses", "kirjauspvm") in kinds
    # Roughly the rate asked for, beyond the one of each kind.
    rows = sum(faulty[1].rows.values())
    assert 0.005 * rows < len(report.faults) < 0.02 * rows + 60


def test_exactly_one_truncated_last_line(faulty: tuple[Path, GenerationReport]) -> None:
    landing, report = faulty
    truncated = [f for f in report.faults if f.rule_id == "row_structure"]
    assert len(truncated) == 1
    spec = next(s for s in SOURCES if s.name == truncated[0].source)
    path = landing / spec.directory / truncated[0].file_name
    data = path.read_bytes()
    assert not data.endswith(b"\n")
    assert data.count(b"\n") + 1 == truncated[0].line_number, "the cut row is the last line"
    assert report.scenarios["truncated_last_line"] == [
        f"{spec.directory}/{path.name}:{truncated[0].line_number}"
    ]


def test_no_fault_names_a_clear_hetu(faulty: tuple[Path, GenerationReport]) -> None:
    _, report = faulty
    text = repr(report)
    from sotevault.hetu import HETU_SHAPE_RE

    assert not HETU_SHAPE_RE.search(text)


def test_fault_rate_zero_gives_clean_files(clean: tuple[Path, GenerationReport]) -> None:
    landing, report = clean
    assert report.faults == []
    assert breaks_in(landing) == set()
    assert "truncated_last_line" not in report.scenarios
    for path in report.files:
        data = path.read_bytes()
        assert data == b"" or data.endswith(b"\n"), path
