"""Each source's files parse back, with the standard library only, exactly to sources.md."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from contracts.fields import FIELDS
from sotevault import codelists
from sotevault.hetu import is_valid_hetu
from sotevault.synthetic import GenerationReport
from sources.registry import SOURCES, recognise
from tests.unit.test_generator_support import csv_rows, generate, read_rows, source_files

CSV_SOURCES = [s.name for s in SOURCES if s.name != "aptj_b"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationReport]:
    return generate(tmp_path_factory.mktemp("formats"))


def test_every_file_is_recognised_and_reported(generated: tuple[Path, GenerationReport]) -> None:
    landing, report = generated
    on_disk = sorted(p for p in landing.glob("*/*"))
    assert on_disk == report.files
    assert {recognise(p).source.name for p in on_disk} == {s.name for s in SOURCES}
    for source in report.rows:
        assert report.rows[source] == sum(len(read_rows(p)) for p in source_files(landing, source))


def test_daily_sources_have_one_file_a_day(generated: tuple[Path, GenerationReport]) -> None:
    landing, _ = generated
    assert source_files(landing, "aptj_a")[0].name == "kaynnit_2024-03-10.csv"
    assert len(source_files(landing, "aptj_a")) == 45
    assert len(source_files(landing, "sos_paatokset")) == 45
    assert len(source_files(landing, "sos_suoritteet")) == 45
    # 45 extracts at 02:00 UTC plus one re-sent copy.
    b_files = [p.name for p in source_files(landing, "aptj_b")]
    assert len(b_files) == 46
    assert b_files[0] == "encounters_20240311T020000Z.jsonl"
    # March closes inside the range, April does not.
    assert [p.name for p in source_files(landing, "omaolo")] == ["asioinnit_2024-03.csv"]
    assert [p.name for p in source_files(landing, "talous_kirjaukset")] == [
        "kirjaukset_2024-03.csv",
        "kirjaukset_2024-03_v2.csv",
    ]
    assert [p.name for p in source_files(landing, "vaesto")] == ["vaesto_2024.csv"]


@pytest.mark.parametrize("source", CSV_SOURCES)
def test_csv_header_encoding_and_line_ends(generated: tuple[Path, GenerationReport], source: str) -> None:
    landing, _ = generated
    spec = next(s for s in SOURCES if s.name == source)
    for path in source_files(landing, source):
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") == spec.bom, path
        header, _ = csv_rows(path)
        assert header == [f.file_name for f in FIELDS[source]]
        first_line_end = data.index(b"\n")
        assert (data[first_line_end - 1 : first_line_end] == b"\r") == spec.crlf, path
        if spec.crlf:
            # Every line end is CRLF (the truncated last line has none).
            assert data.count(b"\n") == data.count(b"\r\n")
        else:
            assert b"\r" not in data


def test_aptj_a_is_utf8_with_bom_and_local_times(generated: tuple[Path, GenerationReport]) -> None:
    landing, _ = generated
    rows = [r for p in source_files(landing, "aptj_a") for r in csv_rows(p)[1] if r.complete]
    assert rows
    for row in rows:
        assert len(row.values["muokattu"]) == 19 and row.values["muokattu"][10] == " "
        # The extract of day D holds the versions modified on local day D.
        assert row.file.name == f"kaynnit_{row.values['muokattu'][:10]}.csv"


def test_ledger_is_iso_8859_1_with_finnish_letters(generated: tuple[Path, GenerationReport]) -> None:
    landing, _ = generated
    for path in source_files(landing, "talous_kirjaukset") + source_files(landing, "talous_kustannuspaikat"):
        data = path.read_bytes()
        text = data.decode("iso-8859-1")
        assert "ä" in text and "ö" in text
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    ledger = source_files(landing, "talous_kirjaukset")[0]
    _, rows = csv_rows(ledger)
    amounts = [r.values["summa"] for r in rows if r.complete]
    assert any("\u00a0" in a for a in amounts) and any(" " in a for a in amounts)
    assert any(a.startswith("-") for a in amounts)
    # Operating expenses of a county of ~100 000 people, scaled: 600-700 MEUR a year.
    total = sum(
        float(r.values["summa"].replace(" ", "").replace("\u00a0", "").replace(",", "."))
        for r in rows
        if r.complete and r.values["tili"].startswith("4") and r.values["summa"].count(",") == 1
    )
    assert 600e6 / 12 * 0.02 * 0.85 < total < 700e6 / 12 * 0.02 * 1.15


def test_aptj_b_lines_are_json_objects_shaped_like_the_example(
    generated: tuple[Path, GenerationReport],
) -> None:
    landing, _ = generated
    keys = [
        "encounterId",
        "version",
        "updatedAt",
        "patient",
        "unit",
        "serviceType",
        "contactMode",
        "urgent",
        "staffRole",
        "contactAt",
        "assessedAt",
        "startAt",
        "status",
        "diagnoses",
        "purchasedFrom",
    ]
    bought = {row["code"] for row in codelists.seed_rows("kunta") if row["services_bought"] == "true"}
    seen_bought = 0
    for path in source_files(landing, "aptj_b"):
        data = path.read_bytes()
        assert b"\r" not in data and (data == b"" or data.endswith(b"\n"))
        for line in data.decode("utf-8").split("\n")[:-1]:
            value = json.loads(line)
            assert list(value) == keys
            assert list(value["patient"]) == ["ssn", "municipality"]
            assert list(value["unit"]) == ["oid", "name"]
            assert all(
                list(d) == ["system", "code"] and d["system"] in ("ICD-10", "ICPC-2")
                for d in value["diagnoses"]
            )
            assert value["updatedAt"].endswith("Z")
            # Extracts run daily at 02:00 UTC and hold the day's changes (or a late version).
            assert value["updatedAt"].replace("-", "").replace(":", "")[:15] < path.stem[11:26]
            if value["patient"]["municipality"] in bought:
                seen_bought += 1
                assert value["purchasedFrom"]
            elif value["patient"]["municipality"] in codelists.codes("kunta"):
                assert value["purchasedFrom"] is None
    assert seen_bought > 0


def test_omaolo_is_utf8_without_bom_comma_separated(generated: tuple[Path, GenerationReport]) -> None:
    landing, _ = generated
    rows = [r for p in source_files(landing, "omaolo") for r in csv_rows(p)[1]]
    anonymous = sum(1 for r in rows if r.values["hetu"] == "")
    assert 0.08 < anonymous / len(rows) < 0.25
    assert all(
        r.values["valmistunut"].startswith("2024-03") for r in rows if r.values["valmistunut"][5:7] != "02"
    )


def test_sos_decimal_comma_and_fi_dates(generated: tuple[Path, GenerationReport]) -> None:
    landing, _ = generated
    rows = [r for p in source_files(landing, "sos_suoritteet") for r in csv_rows(p)[1]]
    assert any("," in r.values["maara"] for r in rows)
    units = Counter(r.values["yksikko"] for r in rows)
    assert set(units) >= {"kerta", "tunti", "vrk"}
    decisions = [r for p in source_files(landing, "sos_paatokset") for r in csv_rows(p)[1]]
    palvelu = Counter(r.values["palvelu"] for r in decisions)
    assert palvelu.most_common(1)[0][0] in ("KOTIHOITO", "KULJETUS")


def test_every_hetu_is_synthetic_and_people_are_unique(generated: tuple[Path, GenerationReport]) -> None:
    landing, _ = generated
    codes: set[str] = set()
    for source, column in (
        ("aptj_a", "hetu"),
        ("aptj_b", "patient_ssn"),
        ("omaolo", "hetu"),
        ("sos_paatokset", "hetu"),
    ):
        for path in source_files(landing, source):
            for row in read_rows(path):
                code = row.values.get(column)
                if row.complete and code:
                    assert 900 <= int(code[7:10]) <= 999, code
                    codes.add(code)
    valid = {c for c in codes if is_valid_hetu(c)}
    signs = Counter(c[6] for c in valid)
    assert signs["-"] > 0 and signs["A"] > 0
    assert set(signs) & set("YXWVUBCDEF"), "some people carry a new century sign"


def test_population_file(generated: tuple[Path, GenerationReport]) -> None:
    landing, _ = generated
    text = (landing / "vaesto" / "vaesto_2024.csv").read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 7 * 2 * 5
    assert {r["ikaryhma"] for r in rows} == set(codelists.codes("ikaryhma"))
    totals = Counter[str]()
    for r in rows:
        totals[r["kunta"]] += int(r["vaesto"])
    for row in codelists.seed_rows("kunta"):
        expected = int(row["population_2020"]) * 0.02
        # Four years of at most about 1 % growth a year.
        assert abs(totals[row["code"]] - expected) <= expected * 0.06 + 1


def test_scale_2020_matches_the_spec_exactly(tmp_path: Path) -> None:
    from sotevault.synthetic.population import population_counts

    counts = population_counts(2020, 1.0, seed=3)
    by_code = {row["code"]: int(row["population_2020"]) for row in codelists.seed_rows("kunta")}
    assert [int(c) for c in counts.sum(axis=(1, 2))] == list(by_code.values())
    assert sum(by_code.values()) == 98254
    _ = tmp_path, date
