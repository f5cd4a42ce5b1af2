from datetime import date
from pathlib import Path

import pytest

from sources.registry import UnrecognisedFileError, discover, recognise


@pytest.mark.parametrize(
    ("relative", "source", "file_date", "version"),
    [
        ("aptj_a/kaynnit_2024-03-05.csv", "aptj_a", date(2024, 3, 5), 1),
        ("aptj_b/encounters_20240305T021500Z.jsonl", "aptj_b", date(2024, 3, 5), 1),
        ("omaolo/asioinnit_2024-03.csv", "omaolo", date(2024, 3, 1), 1),
        ("sos/paatokset_2024-03-05.csv", "sos_paatokset", date(2024, 3, 5), 1),
        ("sos/suoritteet_2024-03-05.csv", "sos_suoritteet", date(2024, 3, 5), 1),
        ("talous/kirjaukset_2024-03.csv", "talous_kirjaukset", date(2024, 3, 1), 1),
        ("talous/kirjaukset_2024-03_v2.csv", "talous_kirjaukset", date(2024, 3, 1), 2),
        ("talous/kirjaukset_2024-03_v12.csv", "talous_kirjaukset", date(2024, 3, 1), 12),
        ("talous/kustannuspaikat_2024-01-01.csv", "talous_kustannuspaikat", date(2024, 1, 1), 1),
        ("vaesto/vaesto_2023.csv", "vaesto", date(2023, 12, 31), 1),
    ],
)
def test_recognise(relative: str, source: str, file_date: date, version: int) -> None:
    landed = recognise(Path("/landing") / relative)
    assert (landed.source.name, landed.file_date, landed.file_version) == (source, file_date, version)


@pytest.mark.parametrize(
    "relative",
    [
        "aptj_a/kaynnit_2024-13-05.csv",
        "aptj_a/kaynnit_2024-03-05.txt",
        "sos/kaynnit_2024-03-05.csv",
        "talous/kirjaukset_2024-03_v0.csv",
        "unknown/file.csv",
    ],
)
def test_unrecognised(relative: str) -> None:
    with pytest.raises(UnrecognisedFileError):
        recognise(Path("/landing") / relative)


def test_discover_sorts_by_source_and_date_and_reports_strays(tmp_path: Path) -> None:
    for relative in [
        "aptj_a/kaynnit_2024-03-06.csv",
        "aptj_a/kaynnit_2024-03-05.csv",
        "aptj_a/.kaynnit_2024-03-07.csv",
        "aptj_a/kaynnit_2024-03-08.csv.part",
        "aptj_a/README.txt",
    ]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    found, unknown = discover(tmp_path)
    assert [f.file_name for f in found] == ["kaynnit_2024-03-05.csv", "kaynnit_2024-03-06.csv"]
    assert [p.name for p, _ in unknown] == ["README.txt"]
