"""The marts against values computed by hand from indicators.md, on a small fixture county.

One county is written straight into the raw tables (the way ingestion writes them), built
with dbt, and every figure asserted below was worked out by hand in the comments beside it:
local days across the summer-time change, current versions, deletions, a bought visit,
anonymous Omaolo use, a ledger month replaced by `_v2`, a cost centre changing class
mid-year, a region-wide cost centre, an unregistered one, a mover, zero denominators.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from .vault_harness import MART_MODELS, VaultHarness, decision, delivery, encounter

pytestmark = pytest.mark.integration

LOCAL = datetime.fromisoformat


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def a_visit(
    visit_id: str, start: str, modified: str = "2024-04-01 12:00:00", **change: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "kaynti_id": visit_id,
        "person_pseudonym": "p1",
        "kotikunta": "638",
        "toimipiste_oid": "1.2.246.10.1",
        "palvelumuoto": "T11",
        "yhteystapa": "R10",
        "kiireellisyys": "E",
        "ammatti": "LAAK",
        "yhteydenotto_aika": None,
        "hoidon_tarve_arvioitu_aika": None,
        "kaynti_alku": LOCAL(start),
        "tila": "T",
        "icd10": "J06.9",
        "icpc2": None,
        "muokattu": LOCAL(modified),
    }
    row.update(change)
    return row


def b_visit(encounter_id: str, version: int, start: str, **change: Any) -> dict[str, Any]:
    """An aptj_b encounter of this county (the harness's valid row, its own values here)."""
    own: dict[str, Any] = {
        "encounter_id": encounter_id,
        "updated_at": utc(f"2024-04-0{version} 08:00:00"),
        "person_pseudonym": "p2",
        "unit_oid": "1.2.246.10.2",
        "unit_name": None,
        "contact_at": None,
        "assessed_at": None,
        "start_at": utc(start),
    }
    return encounter(version, **{**own, **change})


def line(voucher: str, row: int, posted: date, centre: str, account: str, amount: str) -> dict[str, Any]:
    return {
        "tosite": voucher,
        "rivi": row,
        "kirjauspvm": posted,
        "kustannuspaikka": centre,
        "tili": account,
        "summa": Decimal(amount),
        "selite": None,
    }


def centre(code: str, municipality: str, service_class: str, start: date, end: date | None) -> dict[str, Any]:
    return {
        "kustannuspaikka": code,
        "nimi": f"Kustannuspaikka {code}",
        "kunta": municipality,
        "palveluluokka": service_class,
        "voimassa_alkaen": start,
        "voimassa_asti": end,
    }


POPULATION = {"018": 4000, "407": 2000, "434": 14000, "504": 1800, "616": 1900, "638": 50000, "753": 20000}


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> VaultHarness:
    home = tmp_path_factory.mktemp("marts")
    vault = VaultHarness(home / "data", home / "target")
    vault.add_batch(
        "aptj_a",
        [
            # March, 638, LAAK: waits 4 and 10; one without an assessment.
            a_visit("A1", "2024-03-05 10:00:00", hoidon_tarve_arvioitu_aika=LOCAL("2024-03-01 09:00:00")),
            a_visit(
                "A2",
                "2024-03-20 10:00:00",
                hoidon_tarve_arvioitu_aika=LOCAL("2024-03-10 08:00:00"),
                yhteystapa="R56",
            ),
            a_visit("A3", "2024-03-12 10:00:00", person_pseudonym="p3"),
            # 753, HOIT: assessed the day after the visit: an invalid wait.
            a_visit(
                "A4",
                "2024-03-15 10:00:00",
                hoidon_tarve_arvioitu_aika=LOCAL("2024-03-16 08:00:00"),
                kotikunta="753",
                ammatti="HOIT",
                person_pseudonym="p4",
            ),
            # Urgent: a contact, not eligible for the care guarantee.
            a_visit("A5", "2024-03-08 10:00:00", kiireellisyys="K", person_pseudonym="p5"),
            # R60 is never a client contact.
            a_visit("A6", "2024-03-09 10:00:00", yhteystapa="R60"),
            # Realised, then deleted by a later version: counts nowhere.
            a_visit(
                "A7",
                "2024-03-07 10:00:00",
                "2024-03-07 12:00:00",
                hoidon_tarve_arvioitu_aika=LOCAL("2024-03-06 09:00:00"),
            ),
            a_visit(
                "A7",
                "2024-03-07 10:00:00",
                "2024-03-09 12:00:00",
                tila="D",
                hoidon_tarve_arvioitu_aika=LOCAL("2024-03-06 09:00:00"),
            ),
            # Maternity clinic (NEUVOLA), remote: a contact, not T11.
            a_visit("A8", "2024-03-11 10:00:00", palvelumuoto="T21", yhteystapa="R52"),
            # Corrected: the current version says 753 (the client moved), wait 0.
            a_visit(
                "A9",
                "2024-03-06 10:00:00",
                "2024-03-06 12:00:00",
                hoidon_tarve_arvioitu_aika=LOCAL("2024-03-06 08:00:00"),
                person_pseudonym="p9",
            ),
            a_visit(
                "A9",
                "2024-03-06 10:00:00",
                "2024-03-08 12:00:00",
                kotikunta="753",
                hoidon_tarve_arvioitu_aika=LOCAL("2024-03-06 08:00:00"),
                person_pseudonym="p9",
            ),
            # Home nursing T60 is a KOTIH service (and health in the e-contact mart).
            a_visit(
                "A10",
                "2024-03-13 10:00:00",
                palvelumuoto="T60",
                yhteystapa="R20",
                ammatti="HOIT",
                kotikunta="753",
                person_pseudonym="p10",
            ),
        ],
        "kaynnit_2024-04-01.csv",
    )
    # Built once part-way, as a nightly run would: the rest loads incrementally (the current-state
    # tables recompute the keys the later batches touch).
    vault.build(MART_MODELS)
    vault.add_batch(
        "aptj_b",
        [
            # Starts 2024-03-31 21:30 UTC = 2024-04-01 00:30 EEST (summer time began that night);
            # assessed 2024-03-30 21:30 UTC = 2024-03-30 23:30 EET: April, wait 2 days.
            b_visit("B1", 1, "2024-03-31 21:30:00", assessed_at=utc("2024-03-30 21:30:00")),
            # Bought from a neighbouring county (Myrskylä): counts like an own visit. Wait 0.
            b_visit(
                "B2",
                1,
                "2024-03-25 08:00:00",
                assessed_at=utc("2024-03-25 07:00:00"),
                patient_municipality="504",
                staff_role="physician",
                purchased_from="Naapurikunta",
                person_pseudonym="p6",
            ),
            # Completed, then a no-show as the higher version: not a contact.
            b_visit("B3", 1, "2024-03-20 08:00:00"),
            b_visit("B3", 2, "2024-03-20 08:00:00", status="no_show"),
            # 2024-03-28 22:30 UTC = 2024-03-29 00:30 EET: March; assessed 2024-03-20 12:00 local: wait 9.
            b_visit(
                "B4",
                1,
                "2024-03-28 22:30:00",
                assessed_at=utc("2024-03-20 10:00:00"),
                patient_municipality="616",
                staff_role="psychologist",
                person_pseudonym="p7",
            ),
        ],
        "encounters_20240402T020000Z.jsonl",
    )
    vault.add_batch(
        "omaolo",
        [
            # Anonymous, to the work queue, completed 2024-03-31 21:30 UTC = 2024-04-01 local: April.
            {
                "asiointi_id": "O1",
                "person_pseudonym": None,
                "kunta": "638",
                "palvelu": "oirearvio",
                "aloitettu": utc("2024-03-31 21:00:00"),
                "valmistunut": utc("2024-03-31 21:30:00"),
                "tyojonolle": True,
            },
            # Not sent to a work queue: not a contact.
            {
                "asiointi_id": "O2",
                "person_pseudonym": "p2",
                "kunta": "638",
                "palvelu": "oirearvio",
                "aloitettu": utc("2024-03-10 09:00:00"),
                "valmistunut": utc("2024-03-10 09:10:00"),
                "tyojonolle": False,
            },
            {
                "asiointi_id": "O3",
                "person_pseudonym": "p2",
                "kunta": "434",
                "palvelu": "palveluarvio",
                "aloitettu": utc("2024-03-10 09:00:00"),
                "valmistunut": utc("2024-03-10 10:00:00"),
                "tyojonolle": True,
            },
        ],
        "asioinnit_2024-03.csv",
    )
    vault.add_batch(
        "sos_paatokset",
        [
            # Granted; its current version says 753: all its deliveries count in 753.
            decision("D1", "2024-01-02 10:00:00"),
            decision("D1", "2024-03-01 10:00:00", kunta="753"),
            # Refused: its deliveries count nowhere.
            decision("D2", "2024-01-02 10:00:00", ratkaisu="K", kunta="434", person_pseudonym="p11"),
        ],
        "paatokset_2024-03-01.csv",
    )
    vault.add_batch(
        "sos_suoritteet",
        [
            delivery("S1", "D1", date(2024, 3, 5), "lahi"),
            delivery("S2", "D1", date(2024, 3, 6), "eta"),
            delivery("S3", "D1", date(2024, 3, 7), "sahkoinen"),
            delivery("S4", "D2", date(2024, 3, 7), "lahi"),
            # Its decision never arrives: counts nowhere.
            delivery("S5", "D9", date(2024, 3, 7), "lahi"),
        ],
        "suoritteet_2024-03-07.csv",
        file_date=date(2024, 3, 7),
    )
    # S3 re-sent as withdrawn in a later file: it no longer counts.
    vault.add_batch(
        "sos_suoritteet",
        [delivery("S3", "D1", date(2024, 3, 7), "sahkoinen", withdrawn=True)],
        "suoritteet_2024-03-08.csv",
        file_date=date(2024, 3, 8),
    )
    # The old register plays no part: KPOLD is only in it.
    vault.add_batch(
        "talous_kustannuspaikat",
        [
            centre("KPOLD", "638", "SUUN", date(2020, 1, 1), None),
            centre("KP638", "638", "SUUN", date(2020, 1, 1), None),
        ],
        "kustannuspaikat_2024-01-01.csv",
        file_date=date(2024, 1, 1),
    )
    vault.add_batch(
        "talous_kustannuspaikat",
        [
            # KP638 moves from PTH_AVO to MTP on 1 July.
            centre("KP638", "638", "PTH_AVO", date(2023, 1, 1), date(2024, 6, 30)),
            centre("KP638", "638", "MTP", date(2024, 7, 1), None),
            centre("KP753", "753", "KOTIH", date(2020, 1, 1), None),
            centre("KPHALL", "000", "HALL", date(2020, 1, 1), None),
        ],
        "kustannuspaikat_2024-06-01.csv",
        file_date=date(2024, 6, 1),
    )
    vault.add_batch(
        "talous_kirjaukset",
        [
            line("T1", 1, date(2024, 3, 15), "KP638", "4010", "1000.00"),
            line("T1", 2, date(2024, 3, 15), "KP753", "4010", "500.00"),
            line("T1", 3, date(2024, 3, 15), "KPHALL", "4100", "300.00"),
            line("T1", 4, date(2024, 3, 15), "KP638", "3010", "-200.00"),
            line("T1", 5, date(2024, 3, 16), "KP753", "4010", "100.00"),
        ],
        "kirjaukset_2024-03.csv",
    )
    # The month re-sent: line 1 changed, line 5 gone, line 6 (an unregistered centre) added.
    vault.add_batch(
        "talous_kirjaukset",
        [
            line("T1", 1, date(2024, 3, 15), "KP638", "4010", "1200.00"),
            line("T1", 2, date(2024, 3, 15), "KP753", "4010", "500.00"),
            line("T1", 3, date(2024, 3, 15), "KPHALL", "4100", "300.00"),
            line("T1", 4, date(2024, 3, 15), "KP638", "3010", "-200.00"),
            line("T1", 6, date(2024, 3, 16), "KPOLD", "4010", "999.00"),
        ],
        "kirjaukset_2024-03_v2.csv",
        file_version=2,
    )
    vault.add_batch(
        "talous_kirjaukset",
        [line("T2", 1, date(2024, 8, 10), "KP638", "4010", "800.00")],
        "kirjaukset_2024-08.csv",
        file_date=date(2024, 8, 1),
    )
    vault.add_batch(
        "vaesto",
        [
            {"kunta": code, "vuosi": 2024, "sukupuoli": sex, "ikaryhma": "18-64", "vaesto": total // 2}
            for code, total in POPULATION.items()
            for sex in ("1", "2")
        ],
        "vaesto_2024.csv",
        file_date=date(2024, 12, 31),
    )
    vault.build(MART_MODELS, with_tests=True)
    return vault


def rows(vault: VaultHarness, sql: str) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Query → {key columns: value columns}, keys being the first three columns."""
    return {r[:3]: r[3:] for r in vault.query(sql)}


CARE = """
    select month, municipality_code, professional_group, visits, visits_within_7d, share_within_7d,
           visits_within_14d, share_within_14d, median_wait_days, p90_wait_days,
           visits_missing_assessment, visits_invalid_wait, share_with_assessment
    from marts.mart_care_guarantee
"""
MARCH, APRIL = date(2024, 3, 1), date(2024, 4, 1)


def test_care_guarantee_full_grid(county: VaultHarness) -> None:
    # March and April × seven municipalities and 000 × LAAK, HOIT, OTHER, ALL.
    assert county.count("marts.mart_care_guarantee") == 2 * 8 * 4


def test_care_guarantee_cells(county: VaultHarness) -> None:
    got = rows(county, CARE)
    # 638 LAAK in March: A1 (4 days), A2 (10); A3 without an assessment. Median of [4, 10]
    # is the lower middle 4; p90 rank ceil(1.8) = 2 → 10.
    assert got[(MARCH, "638", "LAAK")] == (2, 1, 0.5, 2, 1.0, 4, 10, 1, 0, pytest.approx(2 / 3))
    # 753 HOIT: A4 assessed after its visit day: no valid wait, but it has an assessment.
    assert got[(MARCH, "753", "HOIT")] == (0, 0, None, 0, None, None, None, 0, 1, 1.0)
    # 753 LAAK: A9's current version moved it from 638 to 753; wait 0.
    assert got[(MARCH, "753", "LAAK")] == (1, 1, 1.0, 1, 1.0, 0, 0, 0, 0, 1.0)
    # 504 LAAK: the bought visit B2.
    assert got[(MARCH, "504", "LAAK")] == (1, 1, 1.0, 1, 1.0, 0, 0, 0, 0, 1.0)
    # 434 HOIT in March: B3's current version is a no-show: an empty cell.
    assert got[(MARCH, "434", "HOIT")] == (0, 0, None, 0, None, None, None, 0, 0, None)
    # 616 OTHER (psychologist): B4 starts 00:30 local on 29 March: wait 9.
    assert got[(MARCH, "616", "OTHER")] == (1, 0, 0.0, 1, 1.0, 9, 9, 0, 0, 1.0)
    # The region, all groups, March: waits [0, 0, 4, 9, 10] (A9, B2, A1, B4, A2); median rank
    # ceil(2.5) = 3 → 4; p90 rank ceil(4.5) = 5 → 10; A3 missing, A4 invalid: 6 of 7 assessed.
    assert got[(MARCH, "000", "ALL")] == (5, 3, 0.6, 5, 1.0, 4, 10, 1, 1, pytest.approx(6 / 7))
    # The region, LAAK: [0, 0, 4, 10]: median rank 2 → 0 (the lower middle), p90 rank 4 → 10.
    assert got[(MARCH, "000", "LAAK")] == (4, 3, 0.75, 4, 1.0, 0, 10, 1, 0, pytest.approx(4 / 5))
    # April: B1, across the summer-time change: local 1 April 00:30, assessed 30 March: 2 days.
    assert got[(APRIL, "434", "HOIT")] == (1, 1, 1.0, 1, 1.0, 2, 2, 0, 0, 1.0)
    assert got[(APRIL, "000", "ALL")] == (1, 1, 1.0, 1, 1.0, 2, 2, 0, 0, 1.0)


E_CONTACTS = """
    select month, municipality_code, service_area, contacts, contacts_in_person, contacts_remote_realtime,
           contacts_electronic, e_contacts, e_contact_share
    from marts.mart_e_contact_share
"""


def test_e_contact_share(county: VaultHarness) -> None:
    assert county.count("marts.mart_e_contact_share") == 2 * 8 * 3
    got = rows(county, E_CONTACTS)
    # 638 health, March: A1, A3, A5 in person; A2 R56 electronic; A8 R52 real-time remote.
    # (A6 R60 is not a contact, A7 is deleted, A9 moved to 753; O2 never reached a queue.)
    assert got[(MARCH, "638", "health")] == (5, 3, 1, 1, 2, 0.4)
    # 753 health: A4, A9 in person, A10 home nursing (R20) — home nursing is health here.
    assert got[(MARCH, "753", "health")] == (3, 3, 0, 0, 0, 0.0)
    # 434 health, March: Omaolo O3 (electronic); B3 is a no-show.
    assert got[(MARCH, "434", "health")] == (1, 0, 0, 1, 1, 1.0)
    # 753 social: S1 in person and S2 real-time remote under D1, whose current version says 753;
    # S3 was withdrawn, S4's decision was refused, S5's never arrived.
    assert got[(MARCH, "753", "social")] == (2, 1, 1, 0, 1, 0.5)
    assert got[(MARCH, "638", "social")] == (0, 0, 0, 0, 0, None)
    # The region in March: health 5 + 3 + 1 (O3) + 1 (B2, 504) + 1 (B4, 616) = 11, social 2.
    assert got[(MARCH, "000", "health")] == (11, 6, 3, 2, 5, pytest.approx(5 / 11))
    assert got[(MARCH, "000", "ALL")] == (13, 7, 4, 2, 6, pytest.approx(6 / 13))
    # April: B1 (R50) in 434; the anonymous O1 completed 00:30 local on 1 April in 638.
    assert got[(APRIL, "434", "health")] == (1, 0, 1, 0, 1, 1.0)
    assert got[(APRIL, "638", "health")] == (1, 0, 0, 1, 1, 1.0)
    assert got[(APRIL, "000", "ALL")] == (2, 0, 1, 1, 2, 1.0)


COSTS = """
    select year, municipality_code, service_class, cost_eur, income_eur, net_cost_eur, services, clients,
           residents, eur_per_service, eur_per_client, eur_per_resident
    from marts.mart_unit_costs
"""
D = Decimal


def test_unit_costs(county: VaultHarness) -> None:
    # 2024 × seven municipalities and 000 × twelve classes and ALL.
    assert county.count("marts.mart_unit_costs") == 1 * 8 * 13
    got = rows(county, COSTS)
    region = sum(POPULATION.values())
    # PTH_AVO 638: the _v2 line (1 200.00, not 1 000.00) and its income 200.00; services A1, A2,
    # A3, A5 (persons p1, p3, p5). 1200 / 50 000 = 0.024 → 0.02.
    assert got[(2024, "638", "PTH_AVO")] == (
        D("1200.00"),
        D("200.00"),
        D("1000.00"),
        4,
        3,
        50000,
        D("300.00"),
        D("400.00"),
        D("0.02"),
    )
    # MTP 638: the August line, after the class change; no services: per-unit figures null.
    assert got[(2024, "638", "MTP")] == (
        D("800.00"),
        D("0.00"),
        D("800.00"),
        0,
        0,
        50000,
        None,
        None,
        D("0.02"),
    )
    # KOTIH 753: 500.00 (line 5 of v1 is gone); services A10 (T60) + S1 + S2, clients p10, p8.
    # 500 / 3 = 166.666… → 166.67; 500 / 20 000 = 0.025 → 0.03 (half away from zero).
    assert got[(2024, "753", "KOTIH")] == (
        D("500.00"),
        D("0.00"),
        D("500.00"),
        3,
        2,
        20000,
        D("166.67"),
        D("250.00"),
        D("0.03"),
    )
    # HALL is region-wide: only in 000; no services, so no per-service or per-client figure.
    assert got[(2024, "000", "HALL")] == (
        D("300.00"),
        D("0.00"),
        D("300.00"),
        0,
        0,
        region,
        None,
        None,
        D("0.00"),
    )
    assert got[(2024, "638", "HALL")][0] == D("0.00")
    # 638 ALL: 1 200 + 800 (HALL is not 638's); services A1, A2, A3, A5, A8; clients p1, p3, p5.
    assert got[(2024, "638", "ALL")] == (
        D("2000.00"),
        D("200.00"),
        D("1800.00"),
        5,
        3,
        50000,
        D("400.00"),
        D("666.67"),
        D("0.04"),
    )
    # The region: 1 200 + 500 + 300 + 800 = 2 800 (the unregistered KPOLD line counts nowhere);
    # services: 11 visits (A1–A5, A8–A10, B1, B2, B4) + 2 deliveries = 13; 10 clients.
    assert got[(2024, "000", "ALL")] == (
        D("2800.00"),
        D("200.00"),
        D("2600.00"),
        13,
        10,
        region,
        D("215.38"),
        D("280.00"),
        D("0.03"),
    )
    # A municipality with no costs and no services: zeros, null per-unit figures, residents.
    assert got[(2024, "407", "VAMM")] == (D("0.00"), D("0.00"), D("0.00"), 0, 0, 2000, None, None, D("0.00"))


def test_conformance_counts_unresolved_cost_centres(county: VaultHarness) -> None:
    got = rows(
        county,
        "select source, month, rule_id, records_checked, records_failing, conformance_share, "
        "rule_description from marts.mart_mds_conformance where rule_id = 'cost_centre_resolved'",
    )
    # March counts the _v2 lines (5), one on the unregistered KPOLD; August one line, resolved.
    assert got[("talous", MARCH, "cost_centre_resolved")][:3] == (5, 1, pytest.approx(0.8))
    assert got[("talous", date(2024, 8, 1), "cost_centre_resolved")][:3] == (1, 0, 1.0)
    # Months between without a ledger line: a row with nothing checked.
    assert got[("talous", date(2024, 5, 1), "cost_centre_resolved")][:3] == (0, 0, None)
    assert "register in force" in got[("talous", MARCH, "cost_centre_resolved")][3]


def test_mart_types(county: VaultHarness) -> None:
    types = dict(
        county.query(
            "select table_name || '.' || column_name, data_type from information_schema.columns "
            "where table_schema = 'marts'"
        )
    )
    assert types["mart_care_guarantee.month"] == "DATE"
    assert types["mart_care_guarantee.municipality_code"] == "VARCHAR"
    assert types["mart_care_guarantee.visits"] == "BIGINT"
    assert types["mart_care_guarantee.share_within_7d"] == "DOUBLE"
    assert types["mart_unit_costs.year"] == "INTEGER"
    assert types["mart_unit_costs.cost_eur"] == "DECIMAL(18,2)"
    assert types["mart_unit_costs.eur_per_resident"] == "DECIMAL(18,2)"
    assert types["mart_e_contact_share.e_contact_share"] == "DOUBLE"
    assert types["mart_mds_conformance.conformance_share"] == "DOUBLE"


def test_rebuild_gives_the_same_marts(county: VaultHarness, tmp_path: Path) -> None:
    before = {
        m: sorted(map(repr, county.query(f"select * from marts.{m}")))
        for m in ("mart_care_guarantee", "mart_e_contact_share", "mart_unit_costs", "mart_mds_conformance")
    }
    county.build(MART_MODELS)
    after = {m: sorted(map(repr, county.query(f"select * from marts.{m}"))) for m in before}
    assert after == before


def test_incremental_business_vault_and_marts_equal_a_build_from_scratch(county: VaultHarness) -> None:
    def contents() -> dict[str, list[str]]:
        tables = county.query(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('business_vault', 'marts') order by 1, 2"
        )
        return {f"{s}.{t}": sorted(map(repr, county.query(f"select * from {s}.{t}"))) for s, t in tables}

    incremental = contents()
    assert "business_vault.bv_social_delivery_current" in incremental
    county.build(MART_MODELS, full_refresh=True)
    assert contents() == incremental


def test_marts_have_exactly_the_columns_of_indicators_md(county: VaultHarness) -> None:
    from sotevault.marts import MART_COLUMNS

    for mart, columns in MART_COLUMNS.items():
        built = [
            c
            for (c,) in county.query(
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [mart],
            )
        ]
        assert tuple(built) == columns, mart
