"""Contracts: exact reasons for exact rows, and the typed values of rows that pass."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from contracts.fields import FIELDS
from contracts.rules import Severity
from contracts.sources import CONTRACTS

GOOD_A: dict[str, str | None] = {
    "kaynti_id": "A-1",
    "hetu": "010190-9123",
    "kotikunta": "638",
    "toimipiste_oid": "1.2.246.10.1234567",
    "palvelumuoto": "T11",
    "yhteystapa": "R10",
    "kiireellisyys": "E",
    "ammatti": "LAAK",
    "yhteydenotto_aika": "2024-03-01 08:00:00",
    "hoidon_tarve_arvioitu_aika": "2024-03-01 09:00:00",
    "kaynti_alku": "2024-03-05 10:00:00",
    "tila": "T",
    "icd10": "J06.9",
    "icpc2": None,
    "muokattu": "2024-03-05 12:00:00",
}


def frame(source: str, rows: list[dict[str, Any]], structure: list[str | None] | None = None) -> pl.DataFrame:
    names = [f.name for f in FIELDS[source]]
    data: dict[str, list[Any]] = {n: [r.get(n) for r in rows] for n in names}
    data["_structure_error"] = structure or [None] * len(rows)
    data["_file_name"] = ["f.csv"] * len(rows)
    return pl.DataFrame(
        data, schema={**{n: pl.String for n in names}, "_structure_error": pl.String, "_file_name": pl.String}
    )


def reasons(
    source: str, rows: list[dict[str, Any]], structure: list[str | None] | None = None
) -> list[list[str]]:
    validation = CONTRACTS[source].validate(frame(source, rows, structure))
    return [[r.split(": ")[0] for r in rs] for rs in validation.rows["_reasons"].to_list()]


def test_a_good_visit_passes_and_is_typed() -> None:
    validation = CONTRACTS["aptj_a"].validate(frame("aptj_a", [GOOD_A]))
    assert validation.quarantined.height == 0
    typed = CONTRACTS["aptj_a"].typed(validation.passed).row(0, named=True)
    assert typed["hetu"] == "010190-9123"
    assert typed["kaynti_alku"] == datetime(2024, 3, 5, 10, 0)
    assert typed["icd10"] == "J06.9"


@pytest.mark.parametrize(
    ("change", "expected", "blocked"),
    [
        ({"hetu": "010190-9124"}, ["hetu_valid:hetu"], True),
        ({"hetu": None}, ["required_present:hetu"], True),
        ({"kotikunta": "049"}, ["code_in_list:kotikunta"], True),
        ({"kotikunta": "000"}, ["code_in_list:kotikunta"], True),
        ({"kotikunta": "38"}, ["code_in_list:kotikunta"], True),
        ({"toimipiste_oid": "1.2.246.99.1"}, ["key_format:toimipiste_oid"], True),
        ({"palvelumuoto": "T99"}, ["code_in_list:palvelumuoto"], True),
        ({"kaynti_alku": "2024-02-30 10:00:00"}, ["value_parses:kaynti_alku"], True),
        ({"kaynti_alku": "5.3.2024 10:00"}, ["value_parses:kaynti_alku"], True),
        ({"yhteydenotto_aika": "yesterday"}, ["optional_value_valid:yhteydenotto_aika"], False),
        ({"icd10": "flu"}, ["optional_value_valid:icd10"], False),
        ({"hoidon_tarve_arvioitu_aika": "2024-03-06 09:00:00"}, ["times_in_order"], False),
        ({"hoidon_tarve_arvioitu_aika": None}, ["assessment_recorded"], False),
        ({"icd10": None}, ["dg_recorded"], False),
        ({"icd10": None, "tila": "P"}, [], False),
        ({"hetu": "010190-9124", "ammatti": None}, ["hetu_valid:hetu", "required_present:ammatti"], True),
    ],
)
def test_aptj_a_rules(change: dict[str, str | None], expected: list[str], blocked: bool) -> None:
    validation = CONTRACTS["aptj_a"].validate(frame("aptj_a", [{**GOOD_A, **change}]))
    assert [r.split(": ")[0] for r in validation.rows["_reasons"][0]] == sorted(expected)
    assert validation.rows["_blocked"][0] is blocked


def test_structure_error_blocks_with_one_reason() -> None:
    assert reasons("aptj_a", [{}], ["expected 15 fields, found 9"]) == [["row_structure"]]


def test_omaolo_hetu_optional_but_checked_when_present() -> None:
    row = {
        "asiointi_id": "O-1",
        "kunta": "434",
        "palvelu": "oirearvio",
        "aloitettu": "2024-03-01T22:10:00Z",
        "valmistunut": "2024-03-01T22:25:00Z",
        "tyojonolle": "1",
    }
    assert reasons("omaolo", [row, {**row, "hetu": "010190-9123"}, {**row, "hetu": "010190-9122"}]) == [
        [],
        [],
        ["hetu_valid:hetu"],
    ]


def test_ledger_amounts_with_thousands_spaces_and_decimal_comma() -> None:
    base = {"tosite": "T1", "rivi": "1", "kirjauspvm": "31.01.2024", "kustannuspaikka": "KP1", "tili": "4010"}
    amounts = ["1 234,56", "1\u00a0234,5", "-12,30", "1234", "12,345", "1,234.56", "12 34,00"]
    validation = CONTRACTS["talous_kirjaukset"].validate(
        frame("talous_kirjaukset", [{**base, "summa": a} for a in amounts])
    )
    assert validation.rows["_blocked"].to_list() == [False, False, False, False, True, True, True]
    typed = CONTRACTS["talous_kirjaukset"].typed(validation.passed)
    assert typed["summa"].to_list() == [
        Decimal("1234.56"),
        Decimal("1234.50"),
        Decimal("-12.30"),
        Decimal("1234.00"),
    ]
    assert typed["kirjauspvm"].to_list() == [date(2024, 1, 31)] * 4


def test_delivery_amount_must_be_positive() -> None:
    row = {
        "suorite_id": "S1",
        "paatos_id": "P1",
        "pvm": "01.03.2024",
        "yksikko": "tunti",
        "kanava": "lahi",
        "poistettu": "0",
    }
    assert reasons(
        "sos_suoritteet", [{**row, "maara": "1,5"}, {**row, "maara": "0"}, {**row, "maara": "x"}]
    ) == [
        [],
        ["value_in_range:maara"],
        ["value_parses:maara"],
    ]


def test_register_accepts_region_wide_municipality() -> None:
    row = {
        "kustannuspaikka": "KP9",
        "nimi": "Hallinto",
        "palveluluokka": "HALL",
        "voimassa_alkaen": "01.01.2023",
    }
    assert reasons("talous_kustannuspaikat", [{**row, "kunta": "000"}, {**row, "kunta": "001"}]) == [
        [],
        ["code_in_list:kunta"],
    ]


def test_aptj_b_codes_are_its_own() -> None:
    row = {
        "encounter_id": "B-1",
        "version": "2",
        "updated_at": "2024-03-05T08:14:00Z",
        "patient_ssn": "010190-9123",
        "patient_municipality": "434",
        "unit_oid": "1.2.246.10.2345678",
        "service_type": "T11",
        "contact_mode": "R50",
        "urgent": "false",
        "staff_role": "nurse",
        "start_at": "2024-03-05T08:00:00Z",
        "status": "completed",
        "assessed_at": "2024-03-01T07:10:00Z",
    }
    got = reasons(
        "aptj_b", [row, {**row, "staff_role": "HOIT"}, {**row, "version": "0"}, {**row, "urgent": "no"}]
    )
    assert got == [[], ["code_in_list:staff_role"], ["value_in_range:version"], ["value_parses:urgent"]]


def test_rule_counts_per_file_and_rule() -> None:
    rows = [GOOD_A, {**GOOD_A, "hetu": "x"}, {**GOOD_A, "hoidon_tarve_arvioitu_aika": None}]
    counts = CONTRACTS["aptj_a"].validate(frame("aptj_a", rows)).rule_counts()
    got = {r["rule_id"]: (r["records_checked"], r["records_failing"]) for r in counts.iter_rows(named=True)}
    assert got["hetu_valid"] == (3, 1)
    assert got["required_present"] == (3, 0)
    assert got["assessment_recorded"] == (3, 1)
    assert got["dg_recorded"] == (3, 0)


def test_every_rule_has_a_severity_and_description() -> None:
    for contract in CONTRACTS.values():
        for rule in contract.rules:
            assert isinstance(rule.severity, Severity)
            assert rule.message


def test_every_rule_is_in_the_conformance_rule_seed_with_its_severity() -> None:
    from contracts.rules import RULE_SEVERITIES

    for contract in CONTRACTS.values():
        for rule in contract.rules:
            assert RULE_SEVERITIES[rule.rule_id] == rule.severity.value, rule.key
