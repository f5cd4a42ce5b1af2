"""The four mart suites, one function each, restating indicators.md: what must hold of a mart
whatever the data. Code lists come from the seeds (sotevault.codelists), never copied."""

from __future__ import annotations

from collections.abc import Callable

from great_expectations.expectations.core.expect_column_values_to_be_in_set import ExpectColumnValuesToBeInSet
from great_expectations.expectations.core.expect_column_values_to_be_null import ExpectColumnValuesToBeNull
from great_expectations.expectations.row_conditions import Column

from sotevault.codelists import codes
from sotevault.expectations.suite import (
    ALL,
    REGION,
    MartSuite,
    Rollup,
    at_least,
    counts,
    municipalities,
    non_negative,
    not_null,
    null_exactly_where_zero,
    shares,
)
from sotevault.marts import MART_COLUMNS

SEVEN_MUNICIPALITIES = "the seven municipalities"

CARE_GUARANTEE_COUNTS = (
    "visits",
    "visits_within_7d",
    "visits_within_14d",
    "visits_missing_assessment",
    "visits_invalid_wait",
)


def care_guarantee_suite() -> MartSuite:
    """Counts roll up over municipalities and groups; medians and p90 are of the visits of a
    roll-up, never of its cells, so they are not summed."""
    groups = (*dict.fromkeys(codes("ammatti", "professional_group")), ALL)
    return MartSuite(
        mart="mart_care_guarantee",
        period="month",
        keys={"municipality_code": municipalities(), "professional_group": groups},
        columns=MART_COLUMNS["mart_care_guarantee"],
        rollups=(
            Rollup("municipality_code", REGION, CARE_GUARANTEE_COUNTS, SEVEN_MUNICIPALITIES),
            Rollup("professional_group", ALL, CARE_GUARANTEE_COUNTS, "LAAK, HOIT and OTHER"),
        ),
        checks=(
            *counts(CARE_GUARANTEE_COUNTS),
            *shares(("share_within_7d", "share_within_14d", "share_with_assessment")),
            *non_negative(("median_wait_days", "p90_wait_days")),
            at_least("visits", "visits_within_14d"),
            at_least("visits_within_14d", "visits_within_7d"),
            at_least("p90_wait_days", "median_wait_days"),
            *null_exactly_where_zero(
                ("share_within_7d", "share_within_14d", "median_wait_days", "p90_wait_days"), "visits"
            ),
            # Its denominator is every eligible visit: valid, missing an assessment or invalid.
            ExpectColumnValuesToBeNull(
                column="share_with_assessment",
                row_condition=(Column("visits") == 0)
                & (Column("visits_missing_assessment") == 0)
                & (Column("visits_invalid_wait") == 0),
                description="share_with_assessment is null where there is no eligible visit",
            ),
        ),
    )


E_CONTACT_COUNTS = (
    "contacts",
    "contacts_in_person",
    "contacts_remote_realtime",
    "contacts_electronic",
    "e_contacts",
)


def e_contact_share_suite() -> MartSuite:
    return MartSuite(
        mart="mart_e_contact_share",
        period="month",
        # The areas follow the sources (indicators.md): no seed lists them.
        keys={"municipality_code": municipalities(), "service_area": ("health", "social", ALL)},
        columns=MART_COLUMNS["mart_e_contact_share"],
        rollups=(
            Rollup("municipality_code", REGION, E_CONTACT_COUNTS, SEVEN_MUNICIPALITIES),
            Rollup("service_area", ALL, E_CONTACT_COUNTS, "health and social"),
        ),
        checks=(
            *counts(E_CONTACT_COUNTS),
            *shares(("e_contact_share",)),
            at_least("contacts", "e_contacts"),
            *null_exactly_where_zero(("e_contact_share",), "contacts"),
        ),
    )


def unit_costs_suite() -> MartSuite:
    """Euros are not additive over municipalities (region-wide cost centres count in 000 only),
    nor are clients (distinct persons) anywhere; residents of 000 are the seven's sum."""
    classes = (*codes("palveluluokka"), ALL)
    return MartSuite(
        mart="mart_unit_costs",
        period="year",
        keys={"municipality_code": municipalities(), "service_class": classes},
        columns=MART_COLUMNS["mart_unit_costs"],
        rollups=(
            Rollup("municipality_code", REGION, ("services", "residents"), SEVEN_MUNICIPALITIES),
            Rollup(
                "service_class",
                ALL,
                ("cost_eur", "income_eur", "net_cost_eur", "services"),
                "every class, HALL included",
            ),
        ),
        checks=(
            *counts(("services", "clients", "residents")),
            not_null("cost_eur"),
            not_null("income_eur"),
            not_null("net_cost_eur"),
            at_least("services", "clients"),
            ExpectColumnValuesToBeInSet(
                column="services",
                value_set=[0],
                row_condition=Column("service_class") == "HALL",
                description="class HALL has no services",
            ),
            *null_exactly_where_zero(("eur_per_service",), "services"),
            *null_exactly_where_zero(("eur_per_client",), "clients"),
            *null_exactly_where_zero(("eur_per_resident",), "residents"),
        ),
        contiguous=False,
    )


# indicators.md § mart_mds_conformance: the sources as the warehouse names them (the ledger
# and the cost-centre register are both `talous`).
MDS_SOURCES = ("aptj_a", "aptj_b", "omaolo", "sos_paatokset", "sos_suoritteet", "talous", "vaesto")


def mds_conformance_suite() -> MartSuite:
    return MartSuite(
        mart="mart_mds_conformance",
        period="month",
        keys={"source": MDS_SOURCES, "rule_id": tuple(codes("conformance_rule", "rule_id"))},
        columns=MART_COLUMNS["mart_mds_conformance"],
        checks=(
            not_null("rule_description"),
            *counts(("records_checked", "records_failing")),
            at_least("records_checked", "records_failing"),
            *shares(("conformance_share",)),
            *null_exactly_where_zero(("conformance_share",), "records_checked"),
        ),
        # Each source has its own rules: every month has the pairs the mart has at all.
        full_grid=False,
    )


MART_SUITES: dict[str, Callable[[], MartSuite]] = {
    "mart_care_guarantee": care_guarantee_suite,
    "mart_e_contact_share": e_contact_share_suite,
    "mart_unit_costs": unit_costs_suite,
    "mart_mds_conformance": mds_conformance_suite,
}
