"""The mart suites on a small hand-made marts.duckdb: clean marts pass every expectation, and
each kind of fault fails exactly the expectation that describes it.

The clean marts keep indicators.md's roll-up rules: counts of `000` and `ALL` are the sums of
their parts, while what is not additive is not: `000` costs include a region-wide cost centre,
clients of a roll-up are distinct persons, medians of a roll-up are not the parts' sum.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from sotevault.codelists import codes, mapping
from sotevault.expectations import MART_SUITES, MartValidation, run_mart_suites
from sotevault.expectations.frame import read_mart_frame
from sotevault.publish import PUBLISHED_SCHEMA

Row = dict[str, Any]
Marts = dict[str, list[Row]]

MONTHS = [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
YEARS = [2023, 2024]
SEVEN = codes("kunta")
GROUPS = ("LAAK", "HOIT", "OTHER")
AREAS = ("health", "social")
CLASSES = codes("palveluluokka")
CENT = Decimal("0.01")

COLUMNS: dict[str, dict[str, str]] = {
    "mart_care_guarantee": {
        "month": "date",
        "municipality_code": "varchar",
        "professional_group": "varchar",
        "visits": "bigint",
        "visits_within_7d": "bigint",
        "share_within_7d": "double",
        "visits_within_14d": "bigint",
        "share_within_14d": "double",
        "median_wait_days": "bigint",
        "p90_wait_days": "bigint",
        "visits_missing_assessment": "bigint",
        "visits_invalid_wait": "bigint",
        "share_with_assessment": "double",
    },
    "mart_e_contact_share": {
        "month": "date",
        "municipality_code": "varchar",
        "service_area": "varchar",
        "contacts": "bigint",
        "contacts_in_person": "bigint",
        "contacts_remote_realtime": "bigint",
        "contacts_electronic": "bigint",
        "e_contacts": "bigint",
        "e_contact_share": "double",
    },
    "mart_unit_costs": {
        "year": "integer",
        "municipality_code": "varchar",
        "service_class": "varchar",
        "cost_eur": "decimal(18, 2)",
        "income_eur": "decimal(18, 2)",
        "net_cost_eur": "decimal(18, 2)",
        "services": "bigint",
        "clients": "bigint",
        "residents": "bigint",
        "eur_per_service": "decimal(18, 2)",
        "eur_per_client": "decimal(18, 2)",
        "eur_per_resident": "decimal(18, 2)",
    },
    "mart_mds_conformance": {
        "source": "varchar",
        "month": "date",
        "rule_id": "varchar",
        "rule_description": "varchar",
        "records_checked": "bigint",
        "records_failing": "bigint",
        "conformance_share": "double",
    },
}


def _rolled_up(
    rows: list[Row], grain: tuple[str, ...], key: str, value: str, columns: tuple[str, ...]
) -> list[Row]:
    """The rows and, per combination of the rest of the grain, a roll-up row of their sums."""
    sums: dict[tuple[Any, ...], Row] = {}
    for row in rows:
        rest = {c: row[c] for c in grain if c != key}
        total = sums.setdefault(tuple(rest.values()), {**rest, key: value, **dict.fromkeys(columns, 0)})
        for column in columns:
            total[column] += row[column]
    return rows + list(sums.values())


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _euros_per(cost: Decimal, count: int) -> Decimal | None:
    return (cost / count).quantize(CENT, ROUND_HALF_UP) if count else None


CARE_COUNTS = (
    "visits",
    "visits_within_7d",
    "visits_within_14d",
    "visits_missing_assessment",
    "visits_invalid_wait",
)


def care_guarantee_rows() -> list[Row]:
    grain = ("month", "municipality_code", "professional_group")
    parts: list[Row] = []
    for k, month in enumerate(MONTHS):
        for i, municipality in enumerate(SEVEN):
            for j, group in enumerate(GROUPS):
                visits = (i + 2 * j + k) % 5  # 0 for some cells: an empty combination
                parts.append(
                    {
                        "month": month,
                        "municipality_code": municipality,
                        "professional_group": group,
                        "visits": visits,
                        "visits_within_7d": visits // 2,
                        "visits_within_14d": visits - visits // 4,
                        "visits_missing_assessment": (i + k) % 2,
                        "visits_invalid_wait": 1 if (i, j) == (3, 1) else 0,
                    }
                )
    rows = _rolled_up(parts, grain, "professional_group", "ALL", CARE_COUNTS)
    rows = _rolled_up(rows, grain, "municipality_code", "000", CARE_COUNTS)
    for row in rows:
        visits = row["visits"]
        eligible = visits + row["visits_missing_assessment"] + row["visits_invalid_wait"]
        median = 2 + visits % 3 if visits else None  # of the visits, whatever the cells say
        row.update(
            share_within_7d=_ratio(row["visits_within_7d"], visits),
            share_within_14d=_ratio(row["visits_within_14d"], visits),
            median_wait_days=median,
            p90_wait_days=median + 6 if median is not None else None,
            share_with_assessment=_ratio(visits + row["visits_invalid_wait"], eligible),
        )
    return rows


E_COUNTS = ("contacts", "contacts_in_person", "contacts_remote_realtime", "contacts_electronic", "e_contacts")


def e_contact_share_rows() -> list[Row]:
    grain = ("month", "municipality_code", "service_area")
    parts: list[Row] = []
    for k, month in enumerate(MONTHS):
        for i, municipality in enumerate(SEVEN):
            for j, area in enumerate(AREAS):
                in_person, remote, electronic = (i + k) % 3 * 10, (i + j) % 2 * 3, (j + k) % 3
                parts.append(
                    {
                        "month": month,
                        "municipality_code": municipality,
                        "service_area": area,
                        "contacts": in_person + remote + electronic,
                        "contacts_in_person": in_person,
                        "contacts_remote_realtime": remote,
                        "contacts_electronic": electronic,
                        "e_contacts": remote + electronic,
                    }
                )
    rows = _rolled_up(parts, grain, "service_area", "ALL", E_COUNTS)
    rows = _rolled_up(rows, grain, "municipality_code", "000", E_COUNTS)
    for row in rows:
        row["e_contact_share"] = _ratio(row["e_contacts"], row["contacts"])
    return rows


REGION_WIDE_COST = {"HALL": Decimal("5000.00"), "PTH_AVO": Decimal("12.34")}


def unit_costs_rows() -> list[Row]:
    rows: list[Row] = []
    for y, year in enumerate(YEARS):
        residents = {m: 1000 * (i + 1) + y for i, m in enumerate(SEVEN)}
        for c, service_class in enumerate(CLASSES):
            cells: list[Row] = []
            for i, municipality in enumerate(SEVEN):
                services = 0 if service_class == "HALL" else (i + c + y) % 7 * 10
                cost = Decimal(f"{1000 + 137 * i + 11 * c}.{(i * c + y) % 100:02d}")
                cells.append(
                    {
                        "municipality_code": municipality,
                        "cost_eur": cost,
                        "income_eur": (cost / 10).quantize(CENT, ROUND_HALF_UP),
                        "services": services,
                        "clients": services // 3,
                        "residents": residents[municipality],
                    }
                )
            cost = sum((r["cost_eur"] for r in cells), Decimal(0)) + REGION_WIDE_COST.get(service_class, 0)
            services = sum(r["services"] for r in cells)
            cells.append(
                {
                    "municipality_code": "000",
                    "cost_eur": cost,
                    "income_eur": sum((r["income_eur"] for r in cells), Decimal(0)),
                    "services": services,
                    "clients": max(services // 3 - 1, 0),  # a person can be a client in two places
                    "residents": sum(residents.values()),
                }
            )
            rows.extend({"year": year, "service_class": service_class, **r} for r in cells)
    for year in YEARS:
        for municipality in (*SEVEN, "000"):
            classes = [r for r in rows if r["year"] == year and r["municipality_code"] == municipality]
            rows.append(
                {
                    "year": year,
                    "municipality_code": municipality,
                    "service_class": "ALL",
                    "cost_eur": sum((r["cost_eur"] for r in classes), Decimal(0)),
                    "income_eur": sum((r["income_eur"] for r in classes), Decimal(0)),
                    "services": sum(r["services"] for r in classes),
                    "clients": max(r["clients"] for r in classes),
                    "residents": classes[0]["residents"],
                }
            )
    for row in rows:
        row.update(
            net_cost_eur=row["cost_eur"] - row["income_eur"],
            eur_per_service=_euros_per(row["cost_eur"], row["services"]),
            eur_per_client=_euros_per(row["cost_eur"], row["clients"]),
            eur_per_resident=_euros_per(row["cost_eur"], row["residents"]),
        )
    return rows


MDS_RULES = (
    ("aptj_a", "required_present"),
    ("aptj_a", "dg_recorded"),
    ("talous", "cost_centre_resolved"),
    ("vaesto", "value_in_range"),
)


def mds_conformance_rows() -> list[Row]:
    descriptions = mapping("conformance_rule", "rule_id", "description")
    rows: list[Row] = []
    for k, month in enumerate(MONTHS):
        for source, rule in MDS_RULES:
            # The population register is extracted once a quarter: nothing checked in February.
            checked = 0 if (source, month.month) == ("vaesto", 2) else 100 + 10 * k
            failing = min(checked, (k + len(rule)) % 4)
            rows.append(
                {
                    "source": source,
                    "month": month,
                    "rule_id": rule,
                    "rule_description": descriptions[rule],
                    "records_checked": checked,
                    "records_failing": failing,
                    "conformance_share": _ratio(checked - failing, checked),
                }
            )
    return rows


def clean_marts() -> Marts:
    return {
        "mart_care_guarantee": care_guarantee_rows(),
        "mart_e_contact_share": e_contact_share_rows(),
        "mart_unit_costs": unit_costs_rows(),
        "mart_mds_conformance": mds_conformance_rows(),
    }


def write_marts(data_dir: Path, marts: Marts, schema: str = PUBLISHED_SCHEMA) -> Path:
    """DATA_DIR/marts.duckdb as publication writes it, holding the given rows."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "marts.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(f"create schema if not exists marts.{schema}")
        for mart, rows in marts.items():
            columns = COLUMNS[mart]
            # Text in, typed on the way out: decimals and dates arrive exactly as written.
            given = pa.table({c: pa.array([_text(r[c]) for r in rows], pa.string()) for c in columns})
            con.register("given", given)
            typed = ", ".join(f"cast({c} as {t}) as {c}" for c, t in columns.items())
            con.execute(f"create table marts.{schema}.{mart} as select {typed} from given")
            con.unregister("given")
    return path


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def find_row(rows: list[Row], **match: Any) -> Row:
    (found,) = [r for r in rows if all(r[c] == v for c, v in match.items())]
    return found


@pytest.fixture(scope="module")
def clean_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, MartValidation]:
    data_dir = tmp_path_factory.mktemp("clean")
    write_marts(data_dir, clean_marts())
    return run_mart_suites(data_dir)


def test_the_clean_marts_pass_every_expectation(clean_results: dict[str, MartValidation]) -> None:
    today = date.today()
    assert list(clean_results) == list(MART_SUITES)
    for mart, validation in clean_results.items():
        assert validation.failures == (), validation.summary()
        assert validation.success
        assert (validation.passed, validation.failed) == (len(MART_SUITES[mart]().expectations(today)), 0)
    assert {mart: v.rows for mart, v in clean_results.items()} == {
        "mart_care_guarantee": 3 * 8 * 4,
        "mart_e_contact_share": 3 * 8 * 3,
        "mart_unit_costs": 2 * 8 * (len(CLASSES) + 1),
        "mart_mds_conformance": 3 * len(MDS_RULES),
    }


# Faults, at most two to a mart and each breaking a different promise, so that one run of the
# suites shows every fault caught by its own expectation and by nothing else.


def _share_above_one(marts: Marts) -> None:
    row = find_row(
        marts["mart_care_guarantee"], month=MONTHS[2], municipality_code="434", professional_group="HOIT"
    )
    assert row["visits"] > 0  # a share that should be present
    row["share_within_7d"] = 1.2


def _february_missing(marts: Marts) -> None:
    marts["mart_care_guarantee"] = [r for r in marts["mart_care_guarantee"] if r["month"] != MONTHS[1]]


def _region_not_the_sum(marts: Marts) -> None:
    # The 000 rows of February's health contacts and of all contacts: the ALL roll-up holds.
    for area in ("health", "ALL"):
        find_row(marts["mart_e_contact_share"], month=MONTHS[1], municipality_code="000", service_area=area)[
            "contacts"
        ] += 1


def _unknown_municipality(marts: Marts) -> None:
    rows = marts["mart_e_contact_share"]
    empty = find_row(rows, month=MONTHS[0], municipality_code="018", service_area="health")
    assert empty["contacts"] == 0  # so that no roll-up changes
    rows.append({**empty, "municipality_code": "999"})


def _all_classes_a_cent_off(marts: Marts) -> None:
    row = find_row(marts["mart_unit_costs"], year=2024, municipality_code="018", service_class="ALL")
    row["cost_eur"] += CENT
    row["net_cost_eur"] += CENT


def _duplicate_key(marts: Marts) -> None:
    rows = marts["mart_mds_conformance"]
    rows.append(dict(find_row(rows, month=MONTHS[2], source="talous", rule_id="cost_centre_resolved")))


SHARE_RANGE = "share_within_7d in [0, 1] where present"
NO_GAPS = "no month missing between the first and the last of each municipality_code × professional_group"
FULL_MONTHS = "every month has a row for every municipality_code × professional_group"
REGION_SUM = (
    "contacts of municipality_code 000 is the sum over the seven municipalities (per month × service_area)"
)
KNOWN_MUNICIPALITY = "municipality_code is one of 018, 407, 434, 504, 616, 638, 753, 000"
ALL_CLASSES_SUM = (
    "{} of service_class ALL is the sum over every class, HALL included (per year × municipality_code)"
)
UNIQUE_GRAIN = "one row per month × source × rule_id"

# Every expectation each spoiled mart fails, with the number of rows failing it.
SPOILED: dict[str, dict[str, int]] = {
    "mart_care_guarantee": {SHARE_RANGE: 1, NO_GAPS: 32},
    "mart_e_contact_share": {REGION_SUM: 2, KNOWN_MUNICIPALITY: 1},
    "mart_unit_costs": {ALL_CLASSES_SUM.format("cost_eur"): 1, ALL_CLASSES_SUM.format("net_cost_eur"): 1},
    "mart_mds_conformance": {UNIQUE_GRAIN: 2},
}


@pytest.fixture(scope="module")
def spoiled_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, MartValidation]:
    marts = clean_marts()
    for spoil in (
        _share_above_one,
        _february_missing,
        _region_not_the_sum,
        _unknown_municipality,
        _all_classes_a_cent_off,
        _duplicate_key,
    ):
        spoil(marts)
    data_dir = tmp_path_factory.mktemp("spoiled")
    write_marts(data_dir, marts)
    return run_mart_suites(data_dir)


@pytest.mark.parametrize("mart", SPOILED)
def test_each_fault_fails_its_own_expectation_only(
    spoiled_results: dict[str, MartValidation], mart: str
) -> None:
    validation = spoiled_results[mart]
    assert {f.description: f.unexpected_count for f in validation.failures} == SPOILED[mart], (
        validation.summary()
    )
    assert (validation.success, validation.critical) == (False, True)
    assert validation.passed == len(MART_SUITES[mart]().expectations(date.today())) - len(SPOILED[mart])


def test_a_failure_names_the_failing_rows(spoiled_results: dict[str, MartValidation]) -> None:
    failures = {f.description: f for f in spoiled_results["mart_care_guarantee"].failures}
    share = failures[SHARE_RANGE]
    assert (share.expectation, share.severity) == ("expect_column_values_to_be_between", "critical")
    assert share.examples == (
        "month=2024-03-01, municipality_code=434, professional_group=HOIT: share_within_7d=1.2",
    )
    assert failures[NO_GAPS].examples == (
        "month=2024-03-01, municipality_code=000, professional_group=ALL: months_since_previous=2",
        "month=2024-03-01, municipality_code=000, professional_group=HOIT: months_since_previous=2",
        "month=2024-03-01, municipality_code=000, professional_group=LAAK: months_since_previous=2",
    )


def test_a_missing_cell_is_a_gap_and_an_incomplete_month(tmp_path: Path) -> None:
    marts = clean_marts()
    empty = find_row(
        marts["mart_care_guarantee"], month=MONTHS[1], municipality_code="638", professional_group="OTHER"
    )
    assert empty["visits"] == empty["visits_missing_assessment"] == 0  # so that no roll-up changes
    marts["mart_care_guarantee"].remove(empty)
    write_marts(tmp_path, marts)
    validation = run_mart_suites(tmp_path, ["mart_care_guarantee"])["mart_care_guarantee"]
    assert {f.description: f.unexpected_count for f in validation.failures} == {NO_GAPS: 1, FULL_MONTHS: 31}


def test_dates_out_of_range_only_warn(tmp_path: Path) -> None:
    marts = clean_marts()
    for row in marts["mart_care_guarantee"]:
        row["month"] = row["month"].replace(year=date.today().year + 5)
    write_marts(tmp_path, marts)
    validation = run_mart_suites(tmp_path, ["mart_care_guarantee"])["mart_care_guarantee"]
    assert {f.description: f.severity for f in validation.failures} == {
        f"month between 2000-01 and {date.today().year + 1}-12": "warning"
    }
    assert (validation.success, validation.critical) == (False, False)


def test_the_roll_up_and_gap_columns(tmp_path: Path) -> None:
    """The computed columns themselves."""
    marts = clean_marts()
    _february_missing(marts)
    _region_not_the_sum(marts)
    write_marts(tmp_path, marts)
    with duckdb.connect() as con:
        con.execute(f"attach '{tmp_path / 'marts.duckdb'}' as published (read_only)")
        care = read_mart_frame(con, MART_SUITES["mart_care_guarantee"](), "published")
        contacts = read_mart_frame(con, MART_SUITES["mart_e_contact_share"](), "published")
        costs = read_mart_frame(con, MART_SUITES["mart_unit_costs"](), "published")
    steps = care.set_index("month")["months_since_previous"]
    assert steps[pd.Timestamp("2024-01-01")].isna().all()
    assert set(steps[pd.Timestamp("2024-03-01")]) == {2}
    assert set(care["keys_missing_in_period"]) == {0}
    region = contacts[
        (contacts["municipality_code"] == "000") & (contacts["month"] == pd.Timestamp("2024-02-01"))
    ].set_index("service_area")
    off = region["contacts"] - region["contacts__sum_over_municipality_code"]
    assert off.to_dict() == {"ALL": 1, "health": 1, "social": 0}
    assert (
        contacts.loc[contacts["municipality_code"] != "000", "contacts__sum_over_municipality_code"]
        .isna()
        .all()
    )
    hall = costs[(costs["year"] == 2024) & (costs["service_class"] == "HALL")].set_index("municipality_code")
    region_hall = hall.loc["000"].to_dict()
    # Residents of 000 are the seven's sum; its cost is not (a region-wide cost centre), and
    # the suite does not compare it.
    assert region_hall["residents__sum_over_municipality_code"] == region_hall["residents"]
    assert "cost_eur__sum_over_municipality_code" not in costs.columns
    seven = sum(Decimal(str(v)) for v in hall.drop(index="000")["cost_eur"])
    assert Decimal(str(region_hall["cost_eur"])) == seven + REGION_WIDE_COST["HALL"]


def test_a_suite_gives_fresh_expectations_each_time() -> None:
    """Great Expectations refuses an expectation that already belongs to another suite."""
    suite = MART_SUITES["mart_mds_conformance"]()
    first, second = suite.expectations(date.today()), suite.expectations(date.today())
    assert all(a is not b for a, b in zip(first, second, strict=True))
