"""The vault's loading semantics, proved on hand-made batches with real DuckDB and real dbt.

Each test writes raw batches the way ingestion does (one `_batch_id` per batch), builds the
visit models with dbt, and asserts the exact vault rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from .vault_harness import VISIT_MODELS, VaultHarness, decision, delivery, encounter

pytestmark = pytest.mark.integration


def visit_a(modified: str, **change: Any) -> dict[str, Any]:
    """A valid aptj_a raw row modified at local time `modified`."""
    row: dict[str, Any] = {
        "kaynti_id": "A-1",
        "person_pseudonym": "personone",
        "kotikunta": "638",
        "toimipiste_oid": "1.2.246.10.1234567",
        "palvelumuoto": "T11",
        "yhteystapa": "R10",
        "kiireellisyys": "E",
        "ammatti": "LAAK",
        "yhteydenotto_aika": datetime(2024, 3, 1, 8, 0),
        "hoidon_tarve_arvioitu_aika": datetime(2024, 3, 1, 9, 0),
        "kaynti_alku": datetime(2024, 3, 5, 10, 0),
        "tila": "T",
        "icd10": "J06.9",
        "icpc2": None,
        "muokattu": datetime.fromisoformat(modified),
    }
    row.update(change)
    return row


def sat_b(vault: VaultHarness) -> list[tuple[Any, ...]]:
    return vault.query(
        "select src_order, contact_type, record_source from vault.sat_visit_details__aptj_b "
        "order by src_order, src_position"
    )


def current_b(vault: VaultHarness) -> tuple[Any, ...]:
    rows = vault.query(
        "select current_version, contact_type, visit_status from business_vault.bv_visit_current"
    )
    assert len(rows) == 1
    return rows[0]


def test_late_version_between_two_equal_ones_never_becomes_current(vault: VaultHarness) -> None:
    # The exact case: loaded v1 = A and v3 = A, then a late v2 = B: current is v3 = A.
    vault.add_batch(
        "aptj_b", [encounter(1, contact_mode="R10"), encounter(3, contact_mode="R10")], "e1.jsonl"
    )
    vault.build()
    vault.add_batch("aptj_b", [encounter(2, contact_mode="R52")], "e2.jsonl")
    vault.build()
    assert sat_b(vault) == [(1, "R10", "aptj_b"), (2, "R52", "aptj_b"), (3, "R10", "aptj_b")]
    assert current_b(vault) == ("3", "R10", "T")


def test_several_changes_in_one_batch_all_land_in_source_order(vault: VaultHarness) -> None:
    # Out of order inside the file (v3 first), A → B → A across the versions, one duplicate.
    rows = [
        encounter(3, contact_mode="R10"),
        encounter(1, contact_mode="R10"),
        encounter(2, contact_mode="R52"),
        encounter(2, contact_mode="R52"),
    ]
    vault.add_batch("aptj_b", rows, "e1.jsonl")
    vault.build()
    assert sat_b(vault) == [(1, "R10", "aptj_b"), (2, "R52", "aptj_b"), (3, "R10", "aptj_b")]
    assert vault.count("vault.sat_visit_status__aptj_b") == 3
    assert current_b(vault) == ("3", "R10", "T")


def test_same_version_again_in_a_later_batch_lands_once(vault: VaultHarness) -> None:
    vault.add_batch("aptj_b", [encounter(1), encounter(2)], "e1.jsonl")
    vault.build()
    before = {
        t: vault.count(f"vault.{t}") for t in ("hub_visit", "sat_visit_details__aptj_b", "link_visit_person")
    }
    vault.add_batch("aptj_b", [encounter(2), encounter(1)], "e2.jsonl")
    vault.build()
    after = {t: vault.count(f"vault.{t}") for t in before}
    assert after == before == {"hub_visit": 1, "sat_visit_details__aptj_b": 2, "link_visit_person": 1}


def test_every_model_runs_in_utc_whatever_the_machines_time_zone(vault: VaultHarness) -> None:
    # UTC+14: a node whose connection kept the machine's zone would record its audit rows (the
    # session's `current_timestamp::timestamp`) 14 hours ahead. The vault's own columns carry
    # their zone (timestamptz) or are converted to Finnish time explicitly.
    vault.add_batch("aptj_b", [encounter(1)], "e1.jsonl")
    started = datetime.now(UTC).replace(tzinfo=None)
    vault.build(env={"TZ": "Pacific/Kiritimati"})
    ended = datetime.now(UTC).replace(tzinfo=None)
    recorded = vault.query(
        "select model, recorded_at from audit.vault_watermarks union all "
        "select model, recorded_at from audit.staged_batches"
    )
    assert len(recorded) > 5
    assert [(m, at) for m, at in recorded if not started <= at <= ended] == []


def test_a_vault_table_whose_columns_differ_from_its_model_stops_the_load_and_keeps_its_rows(
    vault: VaultHarness,
) -> None:
    # `on_schema_change: fail` (dbt_project.yml): the incremental load checks its new rows'
    # columns against the table's before it inserts anything.
    vault.add_batch("aptj_b", [encounter(1)], "e1.jsonl")
    vault.build()
    vault.write("alter table vault.sat_visit_details__aptj_b add column added_by_hand varchar")
    before = vault.query("select * exclude (added_by_hand) from vault.sat_visit_details__aptj_b")
    vault.add_batch("aptj_b", [encounter(2, contact_mode="R10")], "e2.jsonl")
    done = vault.build(expect_success=False)
    assert done.returncode != 0
    assert "sat_visit_details__aptj_b" in done.stdout and "out of sync" in done.stdout
    # The message names the column only the table has, so the operator sees what differs.
    assert "added_by_hand VARCHAR" in done.stdout
    assert vault.query("select * exclude (added_by_hand) from vault.sat_visit_details__aptj_b") == before
    # The other satellite of the same staging loaded its row.
    assert vault.count("vault.sat_visit_status__aptj_b") == 2


def test_no_op_run_adds_nothing(vault: VaultHarness) -> None:
    vault.add_batch("aptj_b", [encounter(1), encounter(2, status="cancelled")], "e1.jsonl")
    vault.build()
    tables = vault.query("select table_name from information_schema.tables where table_schema = 'vault'")
    before = {t: vault.count(f"vault.{t}") for (t,) in tables}
    vault.build()
    assert {t: vault.count(f"vault.{t}") for (t,) in tables} == before


def test_versions_with_the_same_load_time_follow_the_source_order(vault: VaultHarness) -> None:
    # aptj_a: two versions in one file, the later muokattu on the earlier line.
    vault.add_batch(
        "aptj_a",
        [visit_a("2024-03-06 12:00:00", tila="P"), visit_a("2024-03-05 12:00:00", tila="T")],
        "kaynnit_2024-03-06.csv",
    )
    vault.build()
    rows = vault.query("select visit_status, modified_at_local from business_vault.bv_visit_current")
    assert rows == [("P", datetime(2024, 3, 6, 12, 0))]


def test_same_muokattu_later_line_wins(vault: VaultHarness) -> None:
    vault.add_batch(
        "aptj_a",
        [visit_a("2024-03-05 12:00:00", yhteystapa="R10"), visit_a("2024-03-05 12:00:00", yhteystapa="R52")],
        "kaynnit_2024-03-05.csv",
    )
    vault.build()
    assert vault.count("vault.sat_visit_details__aptj_a") == 2
    assert vault.query("select contact_type from business_vault.bv_visit_current") == [("R52",)]


def test_deletion_is_recorded_and_removes_the_visit_from_current_counts(vault: VaultHarness) -> None:
    vault.add_batch("aptj_b", [encounter(1)], "e1.jsonl")
    vault.build()
    vault.add_batch("aptj_b", [encounter(2, status="entered_in_error")], "e2.jsonl")
    vault.build()
    assert vault.query("select src_order, visit_status from vault.sat_visit_status__aptj_b order by 1") == [
        (1, "T"),
        (2, "D"),
    ]
    assert vault.query("select is_deleted, is_realised from business_vault.bv_visit_current") == [
        (True, False)
    ]


def test_a_key_brought_by_two_sources_gets_one_hub_row_with_its_first_load(vault: VaultHarness) -> None:
    vault.add_batch("aptj_a", [visit_a("2024-03-05 12:00:00")], "kaynnit_2024-03-05.csv")
    vault.add_batch("aptj_b", [encounter(1)], "e1.jsonl")
    vault.build()
    vault.add_batch("aptj_b", [encounter(2)], "e2.jsonl")
    vault.build()
    rows = vault.query("select person_pseudonym, record_source, load_batch from vault.hub_person")
    assert rows == [("personone", "aptj_a", 1)]
    assert vault.count("vault.hub_visit") == 2


def test_incremental_equals_full_refresh(vault: VaultHarness) -> None:
    vault.add_batch("aptj_b", [encounter(1), encounter(3, contact_mode="R10")], "e1.jsonl")
    vault.add_batch("aptj_a", [visit_a("2024-03-05 12:00:00")], "kaynnit_2024-03-05.csv")
    vault.build()
    vault.add_batch("aptj_b", [encounter(2, contact_mode="R52"), encounter(4, status="no_show")], "e2.jsonl")
    vault.add_batch(
        "aptj_a", [visit_a("2024-03-06 12:00:00", tila="D"), visit_a("2024-03-05 12:00:00")], "k2.csv"
    )
    vault.build()
    vault.build(with_tests=True)  # the models' own data tests too
    tables = [
        f"{schema}.{t}"
        for (schema, t) in vault.query(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('vault', 'business_vault') order by 1, 2"
        )
    ]
    assert "business_vault.bv_visit_current" in tables
    incremental = {t: sorted(map(repr, vault.query(f"select * from {t}"))) for t in tables}
    vault.build(full_refresh=True)
    rebuilt = {t: sorted(map(repr, vault.query(f"select * from {t}"))) for t in tables}
    assert rebuilt == incremental


def test_current_state_recomputes_the_keys_a_batch_touched_and_all_when_its_definition_changed(
    vault: VaultHarness,
) -> None:
    vault.add_batch("aptj_b", [encounter(1)], "e1.jsonl")
    vault.add_batch("aptj_a", [visit_a("2024-03-05 12:00:00")], "kaynnit_2024-03-05.csv")
    vault.build()
    builds = vault.query(
        "select load_batch from audit.business_vault_builds where model = 'bv_visit_current'"
    )
    assert builds == [(2,)]  # through the second batch, the one both systems' satellites loaded

    def status_of(visit_id: str) -> str:
        rows = vault.query(
            "select visit_status from business_vault.bv_visit_current where visit_id = ?", [visit_id]
        )
        assert len(rows) == 1
        return str(rows[0][0])

    # Mark A-1's row, so a rewrite of it shows.
    vault.write("update business_vault.bv_visit_current set visit_status = 'marked' where visit_id = 'A-1'")

    # A batch touching B-1 only: B-1 is recomputed, A-1 is not rewritten.
    vault.add_batch("aptj_b", [encounter(2, status="entered_in_error")], "e2.jsonl")
    vault.build()
    assert status_of("B-1") == "D"
    assert status_of("A-1") == "marked"

    # A changed definition (a new release of the model, an edited code list) recomputes every key.
    vault.write("update audit.business_vault_builds set fingerprint = 'an older release'")
    vault.build()
    assert status_of("A-1") == "T"
    assert status_of("B-1") == "D"
    assert vault.query(
        "select load_batch from audit.business_vault_builds where model = 'bv_visit_current' "
        "order by recorded_at desc limit 1"
    ) == [(3,)]


def test_a_ledger_month_resent_without_lines_is_empty(vault: VaultHarness) -> None:
    from datetime import date
    from decimal import Decimal

    line = {
        "tosite": "T1",
        "rivi": 1,
        "kirjauspvm": date(2024, 3, 15),
        "kustannuspaikka": "KP1",
        "tili": "4010",
        "summa": Decimal("100.00"),
        "selite": None,
    }
    vault.add_batch("talous_kirjaukset", [line], "kirjaukset_2024-03.csv")
    vault.add_batch(
        "talous_kirjaukset", [{**line, "tosite": "T9"}], "kirjaukset_2024-04.csv", file_date=date(2024, 4, 1)
    )
    # March re-sent as _v2 with no lines: every March line is gone; April stays.
    vault.add_batch("talous_kirjaukset", [], "kirjaukset_2024-03_v2.csv", file_version=2)
    vault.build("+bv_ledger_line_current")
    assert vault.query("select voucher, ledger_month from business_vault.bv_ledger_line_current") == [
        ("T9", date(2024, 4, 1))
    ]


SOCIAL_CONTACT = "+bv_social_contact"


def social_contacts(vault: VaultHarness) -> dict[str, tuple[str, str]]:
    rows = vault.query("select delivery_id, municipality_code, channel from business_vault.bv_social_contact")
    return {str(d): (str(m), str(c)) for d, m, c in rows}


def social_contacts_from_scratch(vault: VaultHarness) -> dict[str, tuple[str, str]]:
    """indicators.md's rule, computed here from the two current states."""
    rows = vault.query(
        "select d.delivery_id, c.municipality_code, d.channel "
        "from business_vault.bv_social_delivery_current as d "
        "join business_vault.bv_social_decision_current as c using (hk_social_decision) "
        "where not d.withdrawn and c.is_granted"
    )
    return {str(d): (str(m), str(c)) for d, m, c in rows}


def test_social_contacts_follow_their_deliveries_and_decisions_incrementally(vault: VaultHarness) -> None:
    """bv_social_contact recomputes the deliveries a batch touched and those under a decision it
    touched; a delivery that stops counting (withdrawn, decision refused) loses its row."""
    day = date(2024, 3, 5)
    vault.add_batch(
        "sos_paatokset",
        [decision("D1", "2024-01-02 10:00:00"), decision("D2", "2024-01-02 10:00:00", ratkaisu="K")],
        "paatokset_2024-03-01.csv",
    )
    vault.add_batch(
        "sos_suoritteet",
        [
            delivery("S1", "D1", day, "lahi"),
            delivery("S2", "D1", day, "eta"),
            delivery("S3", "D2", day, "lahi"),  # refused decision: counts nowhere
            delivery("S4", "D9", day, "sahkoinen"),  # decision not loaded yet
            delivery("S5", "D1", day, "lahi"),
        ],
        "suoritteet_2024-03-05.csv",
    )
    vault.build(SOCIAL_CONTACT)
    assert social_contacts(vault) == {
        "S1": ("638", "in_person"),
        "S2": ("638", "remote_realtime"),
        "S5": ("638", "in_person"),
    }

    # Mark S5's row: a later build that does not touch S5 or D1 leaves it as it is.
    vault.write("update business_vault.bv_social_contact set channel = 'marked' where delivery_id = 'S5'")

    # D2 granted on appeal; D9 arrives; S2 withdrawn.
    vault.add_batch(
        "sos_paatokset",
        [decision("D2", "2024-03-02 10:00:00"), decision("D9", "2024-03-02 10:00:00", kunta="434")],
        "paatokset_2024-03-02.csv",
    )
    vault.add_batch(
        "sos_suoritteet", [delivery("S2", "D1", day, "eta", withdrawn=True)], "suoritteet_2024-03-06.csv"
    )
    vault.build(SOCIAL_CONTACT)
    assert social_contacts(vault) == {
        "S1": ("638", "in_person"),
        "S3": ("638", "in_person"),
        "S4": ("434", "electronic"),
        "S5": ("638", "marked"),
    }

    # D1's client moves to 753: every delivery under D1 is recomputed (S5's mark goes).
    vault.add_batch("sos_paatokset", [decision("D1", "2024-03-03 10:00:00", kunta="753")], "paatokset_3.csv")
    vault.build(SOCIAL_CONTACT)
    assert social_contacts(vault) == {
        "S1": ("753", "in_person"),
        "S3": ("638", "in_person"),
        "S4": ("434", "electronic"),
        "S5": ("753", "in_person"),
    }
    assert social_contacts(vault) == social_contacts_from_scratch(vault)

    # D1 withdrawn to a refusal: its deliveries stop counting. S1 moves to D9 in the same run.
    vault.add_batch("sos_paatokset", [decision("D1", "2024-03-04 10:00:00", ratkaisu="K")], "paatokset_4.csv")
    vault.add_batch("sos_suoritteet", [delivery("S1", "D9", day, "lahi")], "suoritteet_2024-03-07.csv")
    vault.build(SOCIAL_CONTACT, with_tests=True)
    assert social_contacts(vault) == {
        "S1": ("434", "in_person"),
        "S3": ("638", "in_person"),
        "S4": ("434", "electronic"),
    }
    assert social_contacts(vault) == social_contacts_from_scratch(vault)
    builds = vault.query(
        "select load_batch from audit.business_vault_builds "
        "where model = 'bv_social_contact' order by recorded_at"
    )
    assert builds == [(2,), (4,), (5,), (7,)]

    # A changed definition of a model it reads recomputes every delivery: the full rebuild's rows.
    vault.write("update business_vault.bv_social_contact set channel = 'marked'")
    vault.write("update audit.business_vault_builds set fingerprint = 'an older release'")
    vault.build(SOCIAL_CONTACT)
    assert social_contacts(vault) == social_contacts_from_scratch(vault)
    incremental = sorted(map(repr, vault.query("select * from business_vault.bv_social_contact")))
    vault.build(SOCIAL_CONTACT, full_refresh=True)
    assert sorted(map(repr, vault.query("select * from business_vault.bv_social_contact"))) == incremental


VISIT_CONTACT = "+bv_visit_contact"


def visit_contacts(vault: VaultHarness) -> dict[str, tuple[str, str]]:
    rows = vault.query(
        "select v.visit_id, c.contact_type, c.channel from business_vault.bv_visit_contact as c "
        "join business_vault.bv_visit_current as v using (hk_visit)"
    )
    return {str(v): (str(t), str(c)) for v, t, c in rows}


def visit_contacts_from_scratch(vault: VaultHarness) -> dict[str, tuple[str, str]]:
    """indicators.md's rule, computed here from the current versions."""
    rows = vault.query(
        "select visit_id, contact_type, channel from business_vault.bv_visit_current "
        "where is_realised and channel <> 'not_a_client_contact'"
    )
    return {str(v): (str(t), str(c)) for v, t, c in rows}


def test_visit_contacts_follow_their_visits_incrementally(vault: VaultHarness) -> None:
    """bv_visit_contact recomputes the visits a batch touched; a visit that stops being a
    realised client contact loses its row, one that becomes one gains it."""
    vault.add_batch(
        "aptj_a",
        [
            visit_a("2024-03-05 12:00:00"),
            visit_a("2024-03-05 12:00:00", kaynti_id="A-2", yhteystapa="R52"),
            visit_a("2024-03-05 12:00:00", kaynti_id="A-3", tila="P"),  # cancelled: no contact
        ],
        "kaynnit_2024-03-05.csv",
    )
    vault.add_batch("aptj_b", [encounter(1)], "e1.jsonl")
    vault.build(VISIT_CONTACT)
    assert visit_contacts(vault) == {
        "A-1": ("R10", "in_person"),
        "A-2": ("R52", "remote_realtime"),
        "B-1": ("R50", "remote_realtime"),
    }

    # Mark A-2's row (a channel its data tests accept): a later build that does not touch A-2
    # leaves it as it is.
    vault.write(
        "update business_vault.bv_visit_contact set channel = 'electronic' where hk_visit = "
        "(select hk_visit from business_vault.bv_visit_current where visit_id = 'A-2')"
    )

    # A-1 cancelled, A-3 realised after all, B-1 entered in error.
    vault.add_batch(
        "aptj_a",
        [visit_a("2024-03-06 12:00:00", tila="P"), visit_a("2024-03-06 12:00:00", kaynti_id="A-3")],
        "kaynnit_2024-03-06.csv",
    )
    vault.add_batch("aptj_b", [encounter(2, status="entered_in_error")], "e2.jsonl")
    vault.build(VISIT_CONTACT, with_tests=True)
    assert visit_contacts(vault) == {"A-2": ("R52", "electronic"), "A-3": ("R10", "in_person")}

    # A-2 changes its contact type: recomputed, the mark goes.
    vault.add_batch("aptj_a", [visit_a("2024-03-07 12:00:00", kaynti_id="A-2")], "kaynnit_2024-03-07.csv")
    vault.build(VISIT_CONTACT)
    assert visit_contacts(vault) == {"A-2": ("R10", "in_person"), "A-3": ("R10", "in_person")}
    assert visit_contacts(vault) == visit_contacts_from_scratch(vault)
    incremental = sorted(map(repr, vault.query("select * from business_vault.bv_visit_contact")))
    vault.build(VISIT_CONTACT, full_refresh=True)
    assert sorted(map(repr, vault.query("select * from business_vault.bv_visit_contact"))) == incremental


def omaolo(transaction_id: str, kunta: str = "638", **change: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "asiointi_id": transaction_id,
        "person_pseudonym": "personone",
        "kunta": kunta,
        "palvelu": "oirearvio",
        "aloitettu": datetime(2024, 3, 10, 9, 0, tzinfo=UTC),
        "valmistunut": datetime(2024, 3, 10, 9, 30, tzinfo=UTC),
        "tyojonolle": True,
    }
    row.update(change)
    return row


def test_omaolo_transactions_follow_their_latest_file_incrementally(vault: VaultHarness) -> None:
    """bv_omaolo_transaction recomputes the transactions a batch touched: a re-sent transaction's
    latest file wins, the others are not rewritten."""

    def transactions() -> dict[str, str]:
        rows = vault.query(
            "select transaction_id, municipality_code from business_vault.bv_omaolo_transaction"
        )
        return {str(t): str(m) for t, m in rows}

    vault.add_batch("omaolo", [omaolo("O1"), omaolo("O2", kunta="434")], "asioinnit_2024-03.csv")
    vault.build("+bv_omaolo_transaction")
    assert transactions() == {"O1": "638", "O2": "434"}

    vault.write(
        "update business_vault.bv_omaolo_transaction set municipality_code = '753' "
        "where transaction_id = 'O2'"
    )
    vault.add_batch("omaolo", [omaolo("O1", kunta="018"), omaolo("O3")], "asioinnit_2024-04.csv")
    vault.build("+bv_omaolo_transaction", with_tests=True)
    assert transactions() == {"O1": "018", "O2": "753", "O3": "638"}

    vault.build("+bv_omaolo_transaction", full_refresh=True)
    assert transactions() == {"O1": "018", "O2": "434", "O3": "638"}


def test_a_key_spelt_two_ways_is_found_by_its_key_text(vault: VaultHarness) -> None:
    """Loads find the keys they hold by hash key and key text (bk_…, the normalised business key
    the hash is the digest of), never by the spelling sent: ` s1` after `S1` is the same key in
    the hub, the link and the satellite's current state, and the table keeps the first spelling."""
    day = date(2024, 3, 5)
    vault.add_batch("sos_suoritteet", [delivery("S1", "D1", day, "lahi")], "suoritteet_2024-03-05.csv")
    vault.build(f"{SOCIAL_CONTACT} +link_delivery_decision")
    vault.add_batch(
        "sos_suoritteet",
        [delivery(" s1", "d1 ", day, "eta"), delivery("S2", "D1", day, "lahi")],
        "suoritteet_2024-03-06.csv",
    )
    vault.build(f"{SOCIAL_CONTACT} +link_delivery_decision")
    assert vault.query(
        "select delivery_id, bk_social_delivery, load_batch from vault.hub_social_delivery order by 2"
    ) == [("S1", "S1", 1), ("S2", "S2", 2)]
    assert vault.query("select bk_delivery_decision from vault.link_delivery_decision order by 1") == [
        ("S1||D1",),
        ("S2||D1",),
    ]
    assert vault.query(
        "select c.bk_social_delivery, s.channel_code from vault.sat_social_delivery__current as c "
        "join vault.sat_social_delivery as s using (hk_social_delivery, src_order, src_position) order by 1"
    ) == [("S1", "eta"), ("S2", "lahi")]


def test_a_vault_written_without_key_text_is_rebuilt_from_raw_once(vault: VaultHarness) -> None:
    """A warehouse built before the vault kept its key text: the next run rebuilds the tables
    that lack it from raw (macros/vault/key_text_migration.sql), to the same rows, and later
    runs load incrementally again."""
    vault.add_batch("sos_suoritteet", [delivery("S1", "D1", date(2024, 3, 5), "lahi")], "s1.csv")
    vault.add_batch("aptj_b", [encounter(1)], "e1.jsonl")
    vault.build(f"{VISIT_MODELS} {SOCIAL_CONTACT}")
    vault.add_batch("aptj_b", [encounter(2, contact_mode="R52")], "e2.jsonl")
    vault.build(f"{VISIT_MODELS} {SOCIAL_CONTACT}")
    tables = [
        f"vault.{t}"
        for (t,) in vault.query(
            "select table_name from information_schema.tables where table_schema = 'vault' order by 1"
        )
    ]
    assert "vault.sat_social_delivery__current" in tables
    built = {t: sorted(map(repr, vault.query(f"select * from {t}"))) for t in tables}

    # The shape of before: no bk_ column anywhere in the vault.
    for table in tables:
        for (column,) in vault.query(
            "select column_name from information_schema.columns "
            "where table_schema = 'vault' and table_name = ? and column_name like 'bk\\_%' escape '\\'",
            [table.split(".")[1]],
        ):
            vault.write(f"alter table {table} drop column {column}")

    done = vault.build(f"{VISIT_MODELS} {SOCIAL_CONTACT}")
    assert "hub_social_delivery: written before vault tables kept their key text" in done.stdout
    assert {t: sorted(map(repr, vault.query(f"select * from {t}"))) for t in tables} == built

    again = vault.build(f"{VISIT_MODELS} {SOCIAL_CONTACT}")
    assert "kept their key text" not in again.stdout
    assert vault.query(
        "select model, count(*) from audit.vault_watermarks where model = 'hub_social_delivery' group by 1"
    ) == [("hub_social_delivery", 2)]


def test_a_vault_model_without_its_staging_stops_with_how_to_build_it_and_loads_nothing(
    vault: VaultHarness,
) -> None:
    # Staging lives in memory for one dbt invocation: a vault model selected alone has none.
    vault.add_batch("aptj_b", [encounter(1, contact_mode="R10")], "e1.jsonl")
    vault.build()
    vault.add_batch("aptj_b", [encounter(2, contact_mode="R52")], "e2.jsonl")
    watermarks = vault.query("select model, load_batch from audit.vault_watermarks order by all")

    alone = vault.build("sat_visit_details__aptj_b", expect_success=False)
    assert alone.returncode != 0
    assert (
        "sat_visit_details__aptj_b: its staging (stg_aptj_b) has not been built by this dbt invocation"
        in alone.stdout
    )
    assert "dbt build --select stg_aptj_b+" in alone.stdout
    assert vault.query("select model, load_batch from audit.vault_watermarks order by all") == watermarks
    assert vault.count("vault.sat_visit_details__aptj_b") == 1

    # With its staging, the same model loads the batch it was missing.
    vault.build("stg_aptj_b sat_visit_details__aptj_b")
    assert sat_b(vault) == [(1, "R10", "aptj_b"), (2, "R52", "aptj_b")]
