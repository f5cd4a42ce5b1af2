"""The marts' public interface (indicators.md): names, columns in the spec's order, grain.

One place for what the report, the expectation suites, the publication step and the tests
need to know of the marts; the dbt models in models/marts/ build exactly these columns (a
test holds them to it).
"""

from __future__ import annotations

MART_COLUMNS: dict[str, tuple[str, ...]] = {
    "mart_care_guarantee": (
        "month",
        "municipality_code",
        "professional_group",
        "visits",
        "visits_within_7d",
        "share_within_7d",
        "visits_within_14d",
        "share_within_14d",
        "median_wait_days",
        "p90_wait_days",
        "visits_missing_assessment",
        "visits_invalid_wait",
        "share_with_assessment",
    ),
    "mart_e_contact_share": (
        "month",
        "municipality_code",
        "service_area",
        "contacts",
        "contacts_in_person",
        "contacts_remote_realtime",
        "contacts_electronic",
        "e_contacts",
        "e_contact_share",
    ),
    "mart_unit_costs": (
        "year",
        "municipality_code",
        "service_class",
        "cost_eur",
        "income_eur",
        "net_cost_eur",
        "services",
        "clients",
        "residents",
        "eur_per_service",
        "eur_per_client",
        "eur_per_resident",
    ),
    "mart_mds_conformance": (
        "source",
        "month",
        "rule_id",
        "rule_description",
        "records_checked",
        "records_failing",
        "conformance_share",
    ),
}

MART_GRAIN: dict[str, tuple[str, ...]] = {mart: columns[:3] for mart, columns in MART_COLUMNS.items()}

MARTS: tuple[str, ...] = tuple(MART_COLUMNS)
