"""Identity columns across models, the violations, the table and the page, on a few edges."""

from __future__ import annotations

import duckdb

from sotevault.lineage import (
    LineageEdge,
    Violation,
    identity_columns,
    origins,
    person_level_violations,
    render_lineage_page,
    write_lineage_table,
)


def edge(
    target: str,
    source: str | None,
    counted: bool = False,
    layer: str = "marts",
    source_layer: str | None = None,
) -> LineageEdge:
    model, column = target.rsplit(".", 1)
    if source is None:
        return LineageEdge(model, column, None, None, False, layer, None)
    source_model, source_column = source.rsplit(".", 1)
    default_layer = "source" if source_model.startswith("raw.") else "business_vault"
    return LineageEdge(
        model, column, source_model, source_column, counted, layer, source_layer or default_layer
    )


# raw pseudonym → staged key → business vault → a counted mart column → its export; and a leak.
EDGES = [
    edge("stg_visits.hk_person", "raw.visits.person_pseudonym", layer="staging"),
    edge("stg_visits.municipality", "raw.visits.kunta", layer="staging"),
    edge("bv_visits.hk_person", "stg_visits.hk_person", layer="business_vault", source_layer="staging"),
    edge("bv_visits.municipality", "stg_visits.municipality", layer="business_vault", source_layer="staging"),
    edge("mart_costs.municipality", "bv_visits.municipality"),
    edge("mart_costs.clients", "bv_visits.hk_person", counted=True),
    edge("mart_costs.clients", "bv_visits.municipality"),
    edge("mart_costs.region", None),
    edge("export_costs.clients", "mart_costs.clients", layer="exports", source_layer="marts"),
]
LEAK = [
    edge("mart_leak.visits", "bv_visits.hk_person"),
    edge("export_leak.visits", "mart_leak.visits", layer="exports", source_layer="marts"),
]


def test_identity_is_the_pseudonym_and_what_is_computed_from_it_without_counting() -> None:
    assert identity_columns(EDGES) == {
        ("raw.visits", "person_pseudonym"),
        ("stg_visits", "hk_person"),
        ("bv_visits", "hk_person"),
    }


def test_a_counted_key_is_no_violation_in_a_mart_or_its_export() -> None:
    assert person_level_violations(EDGES) == []


def test_a_published_column_computed_from_a_key_without_counting_is_a_violation_with_its_chain() -> None:
    found = person_level_violations(EDGES + LEAK)
    chain = (("mart_leak", "visits"), ("bv_visits", "hk_person"), ("stg_visits", "hk_person"))
    assert found == [
        Violation(
            "export_leak", "visits", (("export_leak", "visits"), *chain, ("raw.visits", "person_pseudonym"))
        ),
        Violation("mart_leak", "visits", (*chain, ("raw.visits", "person_pseudonym"))),
    ]
    assert str(found[1]) == (
        "mart_leak.visits is person-level: mart_leak.visits ← bv_visits.hk_person ← "
        "stg_visits.hk_person ← raw.visits.person_pseudonym"
    )


def test_an_identity_column_in_the_business_vault_is_no_violation() -> None:
    assert person_level_violations([e for e in EDGES if e.model_layer != "marts"]) == []


def test_origins_follow_every_model_back_to_the_raw_columns() -> None:
    assert origins(EDGES, ("export_costs", "clients")) == {
        ("raw.visits", "person_pseudonym"): True,
        ("raw.visits", "kunta"): False,
    }
    assert origins(EDGES, ("mart_costs", "region")) == {}


def test_the_table_holds_one_row_per_edge_and_is_replaced() -> None:
    con = duckdb.connect()
    assert write_lineage_table(con, EDGES + LEAK) == 11
    assert write_lineage_table(con, EDGES) == 9
    rows = con.execute(
        'select model, "column", source_model, source_column, through_aggregate, model_layer, source_layer '
        "from audit.column_lineage where model = 'mart_costs' order by all"
    ).fetchall()
    assert rows == [
        ("mart_costs", "clients", "bv_visits", "hk_person", True, "marts", "business_vault"),
        ("mart_costs", "clients", "bv_visits", "municipality", False, "marts", "business_vault"),
        ("mart_costs", "municipality", "bv_visits", "municipality", False, "marts", "business_vault"),
        ("mart_costs", "region", None, None, False, "marts", None),
    ]


def test_the_page_shows_each_published_column_back_to_raw_and_where_identity_stops() -> None:
    page = render_lineage_page(EDGES)
    assert "No published column is person-level: 4 columns of 2 marts and exports checked" in page
    assert (
        "| `clients` | [bv_visits](#bv_visits).`hk_person` (counted), [bv_visits](#bv_visits).`municipality` "
        "| raw.visits.`kunta`, raw.visits.`person_pseudonym` (counted) |"
    ) in page
    assert "- [mart_costs](#mart_costs).`clients` ← bv_visits.`hk_person` (counted)" in page
    assert "| [bv_visits](#bv_visits) | business_vault | `hk_person` |" in page
    assert "| `region` | — (no column) | — (no column) |" in page


def test_the_page_lists_the_violations() -> None:
    page = render_lineage_page(EDGES + LEAK)
    assert "**2 published columns are person-level:**" in page
    assert "- mart_leak.visits is person-level: mart_leak.visits ← bv_visits.hk_person ←" in page
