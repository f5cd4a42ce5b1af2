"""Data tests read the rows loaded since they last passed (macros/tests/tested_rows.sql): the raw
vault's, and those of the business vault's incremental current states (the keys touched since).

Real dbt builds with their data tests on a hand-made warehouse: what a test records when it
passes, what the next run's test reads, that a failure keeps failing, and when every row is
read again.
"""

from __future__ import annotations

import pytest

from .vault_harness import VaultHarness, encounter

pytestmark = pytest.mark.integration

HUB_UNIQUE = "unique_hub_visit_hk_visit"
# hub_visit's key must have a current visit: the parent is a current state that keeps its keys.
HUB_TO_CURRENT = "relationships_hub_visit_hk_visit__hk_visit__ref_bv_visit_current_"
# hub_visit with what its tests compare it with (bv_visit_current reads hub_visit's satellites).
VISITS = "+bv_visit_current +hub_visit"
HUB_NOT_NULL = "not_null_columns_hub_visit_hk_visit__visit_source__visit_id__load_datetime__record_source"


CURRENT_UNIQUE = "unique_bv_visit_current_hk_visit"


def compiled(vault: VaultHarness, test: str, model: str = "hub_visit") -> str:
    """The SQL a test of `model` ran (dbt shortens long test names to a hash in file names)."""
    prefix = test if len(test) < 60 else test.split("_hk_visit")[0]
    (path,) = (vault.target_dir / "compiled").rglob(f"{model}.yml/{prefix}*.sql")
    return path.read_text(encoding="utf-8")


def recorded(vault: VaultHarness, test: str) -> list[int]:
    rows = vault.query(
        "select load_batch from audit.tested_batches where test like ? order by recorded_at", [f"%.{test}.%"]
    )
    return [r[0] for r in rows]


def caught_only_when_every_row_is_read(vault: VaultHarness, select: str, test: str) -> None:
    """The nightly build passes over a fault in the history; a build reading every row fails `test`."""
    vault.build(select, with_tests=True)
    everything = vault.build(
        select, with_tests=True, extra=("--vars", "{sotevault_test_all_rows: true}"), expect_success=False
    )
    assert f"FAIL 1 {test}" in everything.stdout, everything.stdout[-3000:]


def duplicate_hub_row(vault: VaultHarness, visit_id: str, load_batch: int) -> None:
    """A faulty load: the hub row of visit `visit_id` written again, stamped with `load_batch`."""
    vault.write(
        "insert into vault.hub_visit select * replace (? as load_batch) from vault.hub_visit "
        "where visit_id = ? limit 1",
        [load_batch, visit_id],
    )


def remove_duplicate(vault: VaultHarness, visit_id: str) -> None:
    vault.write(
        "delete from vault.hub_visit where rowid = "
        "(select max(rowid) from vault.hub_visit where visit_id = ?)",
        [visit_id],
    )


def test_a_passing_test_records_its_batch_and_the_next_run_reads_only_later_rows(vault: VaultHarness) -> None:
    first = vault.add_batch("aptj_b", [encounter(1)], "e1.jsonl")
    vault.build(VISITS, with_tests=True)
    assert recorded(vault, HUB_UNIQUE) == [first]
    assert "after batch 0 " in compiled(vault, HUB_UNIQUE)

    second = vault.add_batch("aptj_b", [encounter(1, encounter_id="B-2")], "e2.jsonl")
    vault.build(VISITS, with_tests=True)
    sql = compiled(vault, HUB_UNIQUE)
    # Uniqueness: the rows whose key is one of the new rows' keys, old rows included.
    assert f"new_rows.load_batch > {first}" in sql and f"through batch {second} of hub_visit" in sql
    assert recorded(vault, HUB_UNIQUE) == [first, second]
    # A row-local test reads the new rows, and so does a relationships test to a current state
    # that keeps its keys (bv_visit_current): its old keys are still there.
    assert f"where load_batch > {first}" in compiled(vault, HUB_NOT_NULL)
    assert f"where load_batch > {first}" in compiled(vault, HUB_TO_CURRENT)
    assert recorded(vault, HUB_TO_CURRENT) == [first, second]


def test_a_new_row_repeating_an_old_key_fails_and_keeps_failing_until_fixed(vault: VaultHarness) -> None:
    first = vault.add_batch("aptj_b", [encounter(1)], "e1.jsonl")
    vault.build(VISITS, with_tests=True)
    second = vault.add_batch("aptj_b", [encounter(1, encounter_id="B-2")], "e2.jsonl")
    duplicate_hub_row(vault, "B-1", load_batch=second)  # B-1 first came in `first`

    failed = vault.build(VISITS, with_tests=True, expect_success=False)
    assert failed.returncode != 0 and f"FAIL 1 {HUB_UNIQUE}" in failed.stdout, failed.stdout[-3000:]
    assert recorded(vault, HUB_UNIQUE) == [first]

    # Nothing new arrives: the same rows are read again, and the test fails again.
    again = vault.build(VISITS, with_tests=True, expect_success=False)
    assert f"FAIL 1 {HUB_UNIQUE}" in again.stdout
    assert f"new_rows.load_batch > {first}" in compiled(vault, HUB_UNIQUE)

    remove_duplicate(vault, "B-1")
    vault.build(VISITS, with_tests=True)
    assert recorded(vault, HUB_UNIQUE) == [first, second]


def test_every_row_is_read_again_on_request_on_a_new_definition_and_after_a_rebuild(
    vault: VaultHarness,
) -> None:
    first = vault.add_batch("aptj_b", [encounter(1)], "e1.jsonl")
    vault.build(VISITS, with_tests=True)
    second = vault.add_batch("aptj_b", [encounter(1, encounter_id="B-2")], "e2.jsonl")
    vault.build(VISITS, with_tests=True)
    # A row of the history the nightly tests no longer read: found when every row is read.
    duplicate_hub_row(vault, "B-1", load_batch=first)
    caught_only_when_every_row_is_read(vault, VISITS, HUB_UNIQUE)
    assert "sotevault tested rows" not in compiled(vault, HUB_UNIQUE)
    assert recorded(vault, HUB_UNIQUE) == [first, second, second]

    # A test recorded under another definition (an older release, another code list) reads all.
    remove_duplicate(vault, "B-1")
    vault.write("update audit.tested_batches set fingerprint = 'an older release'")
    vault.build(VISITS, with_tests=True)
    assert "after batch 0 " in compiled(vault, HUB_UNIQUE)

    # A vault model built from scratch forgets its tests' record: they read all its rows again.
    vault.build(select="+hub_visit", full_refresh=True)
    assert recorded(vault, HUB_UNIQUE) == []


def duplicate_current_row(vault: VaultHarness, visit_id: str) -> None:
    """A faulty build: visit `visit_id`'s current row written twice."""
    vault.write(
        "insert into business_vault.bv_visit_current "
        "select * from business_vault.bv_visit_current where visit_id = ?",
        [visit_id],
    )


def test_current_state_tests_read_the_keys_touched_since_they_passed(vault: VaultHarness) -> None:
    first = vault.add_batch("aptj_b", [encounter(1), encounter(1, encounter_id="B-2")], "e1.jsonl")
    vault.build(VISITS, with_tests=True)
    assert recorded(vault, CURRENT_UNIQUE) == [first]
    assert "after batch 0 " in compiled(vault, CURRENT_UNIQUE, "bv_visit_current")

    # A batch touching B-2 only: the test reads the rows of the visits satellites touched since.
    second = vault.add_batch("aptj_b", [encounter(2, encounter_id="B-2")], "e2.jsonl")
    vault.build(VISITS, with_tests=True)
    sql = compiled(vault, CURRENT_UNIQUE, "bv_visit_current")
    assert f"through batch {second} of bv_visit_current" in sql
    assert "new_rows.hk_visit in (" in sql and f'sat_visit_details__aptj_b" where load_batch > {first}' in sql
    assert recorded(vault, CURRENT_UNIQUE) == [first, second]

    # A duplicate of an untouched visit is not read by the nightly test; every row is, on request.
    duplicate_current_row(vault, "B-1")
    caught_only_when_every_row_is_read(vault, VISITS, CURRENT_UNIQUE)
    vault.write(
        "delete from business_vault.bv_visit_current where rowid = "
        "(select max(rowid) from business_vault.bv_visit_current where visit_id = ?)",
        ["B-1"],
    )

    # A duplicate of a touched visit fails the nightly test, which records nothing.
    vault.add_batch("aptj_b", [encounter(3, encounter_id="B-2")], "e3.jsonl")
    vault.build(VISITS)  # the models alone: the test runs on the next build
    duplicate_current_row(vault, "B-2")
    failed = vault.build(VISITS, with_tests=True, expect_success=False)
    assert f"FAIL 1 {CURRENT_UNIQUE}" in failed.stdout, failed.stdout[-3000:]
    assert recorded(vault, CURRENT_UNIQUE) == [first, second, second]

    # A current state built from scratch forgets its tests' records: they read every row again.
    vault.build(select="+bv_visit_current", full_refresh=True)
    assert recorded(vault, CURRENT_UNIQUE) == []
    vault.build(VISITS, with_tests=True)
    assert "after batch 0 " in compiled(vault, CURRENT_UNIQUE, "bv_visit_current")


CONTACT_TO_CURRENT = "relationships_bv_visit_contact_hk_visit__hk_visit__ref_bv_visit_current_"
CONTACTS = "+bv_visit_contact +hub_visit"


def test_relationships_to_a_current_state_that_keeps_its_keys_read_the_touched_keys(
    vault: VaultHarness,
) -> None:
    """bv_visit_contact -> bv_visit_current: a child row untouched since the test passed was found
    in the parent then, and the parent never loses a key; a touched one is looked up again."""
    first = vault.add_batch("aptj_b", [encounter(1), encounter(1, encounter_id="B-2")], "e1.jsonl")
    vault.build(CONTACTS, with_tests=True)
    assert recorded(vault, CONTACT_TO_CURRENT) == [first]

    second = vault.add_batch("aptj_b", [encounter(2, encounter_id="B-2")], "e2.jsonl")
    vault.build(CONTACTS, with_tests=True)
    sql = compiled(vault, CONTACT_TO_CURRENT, "bv_visit_contact")
    assert f"through batch {second} of bv_visit_contact" in sql and "hk_visit in (" in sql
    assert recorded(vault, CONTACT_TO_CURRENT) == [first, second]

    # A contact whose visit is not in the current state, on a key no batch touches: not read by
    # the nightly test (the parent cannot lose a key but by a fault), found when every row is.
    orphan = (
        "insert into business_vault.bv_visit_contact select * replace (hk_visit + 1 as hk_visit) "
        "from business_vault.bv_visit_contact where hk_visit = "
        "(select hk_visit from business_vault.bv_visit_current where visit_id = ?)"
    )
    vault.write(orphan, ["B-1"])
    caught_only_when_every_row_is_read(vault, CONTACTS, CONTACT_TO_CURRENT)
    vault.write(
        "delete from business_vault.bv_visit_contact where hk_visit not in "
        "(select hk_visit from business_vault.bv_visit_current)"
    )

    # A touched contact is looked up again: B-2 touched, then lost by its parent, fails.
    vault.add_batch("aptj_b", [encounter(3, encounter_id="B-2")], "e3.jsonl")
    vault.build(CONTACTS)  # the models alone: the test runs on the next build
    vault.write("delete from business_vault.bv_visit_current where visit_id = ?", ["B-2"])
    failed = vault.build(CONTACTS, with_tests=True, expect_success=False)
    assert f"FAIL 1 {CONTACT_TO_CURRENT}" in failed.stdout, failed.stdout[-3000:]
