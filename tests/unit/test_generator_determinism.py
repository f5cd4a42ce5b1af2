"""Same arguments, byte-identical output; the time-zone arithmetic agrees with zoneinfo."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from sotevault.synthetic import generate_county
from sotevault.synthetic.clock import local_to_utc, utc_to_local

HELSINKI = ZoneInfo("Europe/Helsinki")


def tree(landing: Path) -> dict[str, bytes]:
    return {str(p.relative_to(landing)): p.read_bytes() for p in sorted(landing.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    landings = []
    for name, seed in (("first", 21), ("again", 21), ("other", 22)):
        landing = tmp_path_factory.mktemp(name) / "landing"
        messages: list[str] = []
        generate_county(landing, seed, date(2024, 10, 20), 40, scale=0.02, progress=messages.append)
        assert any(m.startswith("aptj_a:") for m in messages)
        landings.append(landing)
    return landings


def test_same_seed_gives_byte_identical_files(runs: list[Path]) -> None:
    first, again, _ = runs
    assert tree(first) == tree(again)


def test_other_seed_gives_other_data(runs: list[Path]) -> None:
    first, _, other = runs
    one, two = tree(first), tree(other)
    differing = [name for name in one.keys() & two.keys() if one[name] != two[name]]
    assert any(name.startswith("aptj_a/") for name in differing)
    assert any(name.startswith("sos/suoritteet_") for name in differing)


def test_arguments_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="days"):
        generate_county(tmp_path, 1, date(2024, 1, 1), 0)
    with pytest.raises(ValueError, match="scale"):
        generate_county(tmp_path, 1, date(2024, 1, 1), 5, scale=0)


def test_tiny_scale_and_short_range_work(tmp_path: Path) -> None:
    report = generate_county(tmp_path / "landing", 3, date(2023, 12, 30), 3, scale=0.01)
    assert report.rows["aptj_a"] > 0 and report.rows["vaesto"] == 2 * 70  # 2023 and 2024
    assert "late_file" not in report.scenarios  # needs four days


def test_local_to_utc_matches_zoneinfo_all_year() -> None:
    start = datetime(2024, 1, 1)
    walls = [start + timedelta(minutes=10 * i) for i in range(366 * 24 * 6)]
    expected = [w.replace(tzinfo=HELSINKI).astimezone(UTC).replace(tzinfo=None) for w in walls]
    got = local_to_utc(np.array(walls, dtype="datetime64[s]"))
    assert got.tolist() == expected


def test_gap_and_overlap_follow_the_spec() -> None:
    walls = np.array(["2024-03-31T03:30:00", "2024-10-27T03:30:00", "NaT"], dtype="datetime64[s]")
    got = local_to_utc(walls)
    # Gap: +02:00 (the offset before the change); overlap: the first occurrence, +03:00.
    assert got[:2].tolist() == [datetime(2024, 3, 31, 1, 30), datetime(2024, 10, 27, 0, 30)]
    assert np.isnat(got[2])


def test_utc_to_local_matches_zoneinfo() -> None:
    instants = [datetime(2024, 1, 1) + timedelta(minutes=7 * i) for i in range(366 * 24 * 9)]
    expected = [i.replace(tzinfo=UTC).astimezone(HELSINKI).replace(tzinfo=None) for i in instants]
    assert utc_to_local(np.array(instants, dtype="datetime64[s]")).tolist() == expected
