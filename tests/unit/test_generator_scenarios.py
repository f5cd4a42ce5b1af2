"""Every scenario the brief asks for is in the output, where the report says, as described."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sotevault.hetu import is_valid_hetu
from sotevault.synthetic import GenerationReport
from sotevault.synthetic.clock import summer_time_days
from tests.unit.test_generator_support import csv_rows, generate, read_rows, row_at, source_files

HELSINKI = ZoneInfo("Europe/Helsinki")
ALWAYS = {
    "corrected_visit",
    "deleted_visit",
    "cancelled_visit",
    "no_show_visit",
    "local_day_differs_from_utc_day",
    "versions_out_of_order_in_file",
    "late_version_fills_gap",
    "late_file",
    "same_version_twice",
    "resent_identical_file",
    "century_sign_twins",
    "person_moves",
    "omaolo_anonymous",
    "omaolo_month_boundary",
    "delivery_withdrawn",
    "delivery_under_refused_decision",
    "delivery_without_decision",
    "ledger_month_v2",
    "ledger_v2_changed_line",
    "ledger_v2_added_line",
    "ledger_v2_removed_line",
    "unregistered_cost_centre",
    "quoted_fields",
    "line_break_in_quoted_field",
    "nbsp_thousands_separator",
    "cost_centre_class_change",
}


def utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=ZoneInfo("UTC"))


@pytest.fixture(scope="module")
def spring(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationReport]:
    return generate(tmp_path_factory.mktemp("spring"), fault_rate=0.002)


@pytest.fixture(scope="module")
def autumn(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationReport]:
    return generate(
        tmp_path_factory.mktemp("autumn"), start=date(2024, 10, 1), days=40, scale=0.01, fault_rate=0
    )


def test_every_scenario_is_named(
    spring: tuple[Path, GenerationReport], autumn: tuple[Path, GenerationReport]
) -> None:
    assert set(spring[1].scenarios) == ALWAYS | {"summer_time_spring", "truncated_last_line"}
    assert set(autumn[1].scenarios) == ALWAYS | {"summer_time_autumn"}


def test_corrections_deletions_cancellations_no_shows(spring: tuple[Path, GenerationReport]) -> None:
    landing, report = spring
    a1, a2, b1, b2 = (row_at(landing, w).values for w in report.scenarios["corrected_visit"])
    assert (
        a1["kaynti_id"] == a2["kaynti_id"] and a1["muokattu"] < a2["muokattu"] and a1["icd10"] != a2["icd10"]
    )
    assert b1["encounter_id"] == b2["encounter_id"] and (b1["version"], b2["version"]) == (1, 2)
    a1, a2, b1, b2 = (row_at(landing, w).values for w in report.scenarios["deleted_visit"])
    assert (a1["tila"], a2["tila"], b1["status"], b2["status"]) == ("T", "D", "completed", "entered_in_error")
    a, b = (row_at(landing, w).values for w in report.scenarios["cancelled_visit"])
    assert (a["tila"], b["status"]) == ("P", "cancelled")
    a, b = (row_at(landing, w).values for w in report.scenarios["no_show_visit"])
    assert (a["tila"], b["status"]) == ("E", "no_show")


def test_natural_data_also_has_every_status(spring: tuple[Path, GenerationReport]) -> None:
    landing, _ = spring
    statuses = {
        r.values["tila"] for p in source_files(landing, "aptj_a") for r in csv_rows(p)[1] if r.complete
    }
    assert statuses == {"T", "P", "E", "D"}


def test_local_day_differs_from_utc_day(spring: tuple[Path, GenerationReport]) -> None:
    landing, report = spring
    a, b = (row_at(landing, w).values for w in report.scenarios["local_day_differs_from_utc_day"])
    assert a["kaynti_alku"].endswith(" 00:40:00")
    start = utc(b["start_at"])
    assert start.date() != start.astimezone(HELSINKI).date()


def test_summer_time_changes(
    spring: tuple[Path, GenerationReport], autumn: tuple[Path, GenerationReport]
) -> None:
    for (landing, report), name, index in (
        (spring, "summer_time_spring", 0),
        (autumn, "summer_time_autumn", 1),
    ):
        rows = [row_at(landing, w).values for w in report.scenarios[name]]
        change = summer_time_days(2024)[index]
        local = [r["kaynti_alku"] for r in rows if "kaynti_alku" in r]
        assert local == [f"{change} 02:20:00", f"{change} 03:40:00", f"{change} 04:45:00"]
        instants = [utc(r["start_at"]) for r in rows if "start_at" in r]
        # 02:20 and 04:45 convert unambiguously; 03:40 takes +02:00 in the gap, +03:00 in the overlap.
        expected = [
            datetime(change.year, change.month, change.day, h, m, tzinfo=HELSINKI)
            for h, m in ((2, 20), (4, 45))
        ]
        assert [instants[0], instants[2]] == expected
        offset = 2 if index == 0 else 3
        assert instants[1] == datetime(
            change.year, change.month, change.day, 3 - offset, 40, tzinfo=ZoneInfo("UTC")
        )


def test_aptj_b_version_scenarios(spring: tuple[Path, GenerationReport]) -> None:
    landing, report = spring
    where = report.scenarios["versions_out_of_order_in_file"]
    v1, v3, v2 = (row_at(landing, w) for w in where)
    assert (v1.values["version"], v3.values["version"], v2.values["version"]) == (1, 3, 2)
    assert v3.file == v2.file and v3.line < v2.line and v1.file.name < v3.file.name
    assert v1.values["encounter_id"] == v2.values["encounter_id"] == v3.values["encounter_id"]

    v1, v3, v2 = (row_at(landing, w) for w in report.scenarios["late_version_fills_gap"])
    assert (v1.values["version"], v3.values["version"], v2.values["version"]) == (1, 3, 2)
    assert v1.file.name < v3.file.name < v2.file.name
    assert v1.values["updated_at"] < v2.values["updated_at"] < v3.values["updated_at"]

    late, first, newer = report.scenarios["late_file"]
    older, later = row_at(landing, first), row_at(landing, newer)
    assert first.startswith(late + ":") and later.file.name > older.file.name
    assert older.values["encounter_id"] == later.values["encounter_id"]
    assert later.values["version"] > older.values["version"]

    once, twice = (row_at(landing, w) for w in report.scenarios["same_version_twice"])
    assert once.raw == twice.raw and once.file.name < twice.file.name

    copy, original = report.scenarios["resent_identical_file"]
    assert (landing / copy).read_bytes() == (landing / original).read_bytes() != b""
    assert copy > original


def test_century_sign_twins(spring: tuple[Path, GenerationReport]) -> None:
    landing, report = spring
    first, second = (row_at(landing, w).values["hetu"] for w in report.scenarios["century_sign_twins"])
    assert first != second and is_valid_hetu(first) and is_valid_hetu(second)
    assert first[:6] + first[7:] == second[:6] + second[7:]
    assert {first[6], second[6]} == {"-", "Y"}


def test_person_moves(spring: tuple[Path, GenerationReport]) -> None:
    landing, report = spring
    rows = [row_at(landing, w) for w in report.scenarios["person_moves"]]
    visits = [
        (
            str(r.values.get("hetu") or r.values.get("patient_ssn")),
            str(r.values.get("kotikunta") or r.values.get("patient_municipality")),
        )
        for r in rows
        if "kaynti_id" in r.values or "encounter_id" in r.values
    ]
    homes: dict[str, list[str]] = {}
    for person, municipality in visits:
        homes.setdefault(person, []).append(municipality)
    # Before and after the move: Porvoo -> Sipoo, and Loviisa (system B) -> Porvoo (system A).
    assert list(homes.values()) == [["638", "753"], ["434", "638"]]
    decisions = [r.values for r in rows if "paatos_id" in r.values]
    assert len({d["hetu"] for d in decisions}) == 1
    first, ended, new = decisions
    assert first["paatos_id"] == ended["paatos_id"] != new["paatos_id"]
    assert ended["loppupvm"] and first["kunta"] == ended["kunta"] != new["kunta"]
    end = datetime.strptime(ended["loppupvm"], "%d.%m.%Y").date()
    assert datetime.strptime(new["alkupvm"], "%d.%m.%Y").date() == end + timedelta(days=1)


def test_omaolo_scenarios(spring: tuple[Path, GenerationReport]) -> None:
    landing, report = spring
    (anonymous,) = report.scenarios["omaolo_anonymous"]
    assert row_at(landing, anonymous).values["hetu"] == ""
    (boundary,) = report.scenarios["omaolo_month_boundary"]
    row = row_at(landing, boundary)
    done = utc(row.values["valmistunut"])
    assert row.file.name == f"asioinnit_{done:%Y-%m}.csv"
    assert done.astimezone(HELSINKI).month != done.month


def test_social_scenarios(spring: tuple[Path, GenerationReport]) -> None:
    landing, report = spring
    sent, withdrawn = (row_at(landing, w) for w in report.scenarios["delivery_withdrawn"])
    assert sent.values["suorite_id"] == withdrawn.values["suorite_id"]
    assert (sent.values["poistettu"], withdrawn.values["poistettu"]) == ("0", "1")
    assert sent.file.name < withdrawn.file.name
    decision, delivery = (
        row_at(landing, w).values for w in report.scenarios["delivery_under_refused_decision"]
    )
    assert decision["ratkaisu"] == "K" and delivery["paatos_id"] == decision["paatos_id"]
    (orphan,) = report.scenarios["delivery_without_decision"]
    known = {r.values["paatos_id"] for p in source_files(landing, "sos_paatokset") for r in read_rows(p)}
    assert row_at(landing, orphan).values["paatos_id"] not in known


def test_ledger_scenarios(spring: tuple[Path, GenerationReport]) -> None:
    landing, report = spring
    second, first = report.scenarios["ledger_month_v2"]
    key = ("tosite", "rivi")
    faulty = {(f.file_name, f.line_number) for f in report.faults}
    old = {tuple(r.values[k] for k in key): r for r in read_rows(landing / first)}
    new = {tuple(r.values[k] for k in key): r for r in read_rows(landing / second)}
    assert len(old.keys() - new.keys()) == 1 and len(new.keys() - old.keys()) == 1
    # Faults are placed in each file on its own: compare the lines that are clean in both.
    both = [
        k for k in old.keys() & new.keys() if not {(r.file.name, r.line) for r in (old[k], new[k])} & faulty
    ]
    assert sum(1 for k in both if old[k].values != new[k].values) == 3
    (removed,) = report.scenarios["ledger_v2_removed_line"]
    assert tuple(row_at(landing, removed).values[k] for k in key) in old.keys() - new.keys()
    (added,) = report.scenarios["ledger_v2_added_line"]
    assert tuple(row_at(landing, added).values[k] for k in key) in new.keys() - old.keys()

    registered = {
        r.values["kustannuspaikka"]
        for p in source_files(landing, "talous_kustannuspaikat")
        for r in read_rows(p)
    }
    (unregistered,) = report.scenarios["unregistered_cost_centre"]
    assert row_at(landing, unregistered).values["kustannuspaikka"] not in registered

    raw = {w: row_at(landing, w).values for w in report.scenarios["quoted_fields"]}
    texts = [str(v.get("selite") or v.get("nimi")) for v in raw.values()]
    assert any(";" in t for t in texts) and any('"' in t for t in texts)
    ledger_bytes = (landing / first).read_bytes()
    assert b'"Matkakulut; Porvoo-Helsinki"' in ledger_bytes and b'"Koulutus ""Hoitoty' in ledger_bytes
    (broken,) = report.scenarios["line_break_in_quoted_field"]
    assert "\n" in row_at(landing, broken).values["selite"]
    (nbsp,) = report.scenarios["nbsp_thousands_separator"]
    assert "\u00a0" in row_at(landing, nbsp).values["summa"]


def test_cost_centre_class_change(spring: tuple[Path, GenerationReport]) -> None:
    landing, report = spring
    later, old_where, new_where = report.scenarios["cost_centre_class_change"]
    old, new = row_at(landing, old_where).values, row_at(landing, new_where).values
    assert old_where.startswith(later + ":") and old["kustannuspaikka"] == new["kustannuspaikka"]
    assert old["palveluluokka"] != new["palveluluokka"] and new["voimassa_asti"] == ""
    ends = datetime.strptime(old["voimassa_asti"], "%d.%m.%Y").date()
    assert datetime.strptime(new["voimassa_alkaen"], "%d.%m.%Y").date() == ends + timedelta(days=1)
    first_register = source_files(landing, "talous_kustannuspaikat")[0]
    assert first_register.name < later.split("/")[1]
    rows = [
        r.values for r in read_rows(first_register) if r.values["kustannuspaikka"] == old["kustannuspaikka"]
    ]
    assert len(rows) == 1 and rows[0]["voimassa_asti"] == ""
