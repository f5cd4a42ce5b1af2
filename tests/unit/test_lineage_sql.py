"""The lineage of one query: what an output column is computed from, and whether only counted."""

from __future__ import annotations

import pytest
from sqlglot import exp
from sqlglot.lineage import lineage

from sotevault.lineage.sql import ColumnSources, LineageError, query_lineage

SCHEMA = {
    "w": {
        "bv": {
            "visits": {"hk_person": "uhugeint", "municipality": "text", "day": "date", "wait": "int"},
            "decisions": {"hk_person": "uhugeint", "municipality": "text", "service": "text"},
        },
        "seeds": {"kunta": {"code": "text", "name": "text"}},
    }
}


def resolve(table: exp.Table) -> str | None:
    known = {("bv", "visits"), ("bv", "decisions"), ("seeds", "kunta")}
    return table.name if (table.db, table.name) in known else None


def sources(sql: str) -> dict[str, ColumnSources]:
    return query_lineage(sql, SCHEMA, resolve)


def test_count_distinct_of_a_key_is_counted_and_the_group_keys_are_not() -> None:
    got = sources(
        "select municipality, count(distinct hk_person) as clients from w.bv.visits group by municipality"
    )
    assert got == {
        "municipality": {("visits", "municipality"): False},
        "clients": {("visits", "hk_person"): True, ("visits", "municipality"): False},
    }


def test_group_by_all_takes_the_selected_expressions_without_aggregates_as_keys() -> None:
    got = sources(
        "select date_trunc('month', day) as month, count(*) filter (where wait <= 7) as within_7d "
        "from w.bv.visits group by all"
    )
    assert got["within_7d"] == {("visits", "day"): False, ("visits", "wait"): True}


def test_a_figure_grouped_by_a_key_is_computed_from_the_key() -> None:
    got = sources("select count(*) as visits from w.bv.visits group by hk_person")
    assert got == {"visits": {("visits", "hk_person"): False}}


@pytest.mark.parametrize(
    "expression",
    [
        "max(hk_person)",
        "any_value(hk_person)",
        "list(hk_person)",
        "sum(hk_person)",
        "string_agg(cast(hk_person as varchar), ',')",
        "median(hk_person)",
    ],
)
def test_aggregates_that_give_back_a_member_pass_the_key_through(expression: str) -> None:
    got = sources(f"select municipality, {expression} as x from w.bv.visits group by municipality")
    assert got["x"][("visits", "hk_person")] is False


def test_window_functions_pass_their_input_and_partition_through() -> None:
    got = sources(
        "select lag(day) over (partition by hk_person order by day) as previous_day, "
        "count(*) over (partition by hk_person) as visits_of_person, "
        "count(hk_person) over (partition by municipality) as counted from w.bv.visits"
    )
    assert got["previous_day"] == {("visits", "day"): False, ("visits", "hk_person"): False}
    assert got["visits_of_person"] == {("visits", "hk_person"): False}
    assert got["counted"] == {("visits", "hk_person"): True, ("visits", "municipality"): False}


def test_a_pair_is_counted_only_when_every_path_is() -> None:
    got = sources(
        "select count(distinct hk_person) + 0 as counted, "
        "count(distinct hk_person) + max(hk_person) as mixed from w.bv.visits"
    )
    assert got["counted"] == {("visits", "hk_person"): True}
    assert got["mixed"] == {("visits", "hk_person"): False}


def test_counting_in_a_cte_carries_to_the_outer_query_but_filters_and_joins_do_not_count() -> None:
    got = sources(
        """
        with per_municipality as (
            select municipality, count(distinct hk_person) as clients
            from w.bv.visits where hk_person is not null group by all
        )
        select k.name, coalesce(p.clients, 0) as clients
        from w.seeds.kunta as k left join per_municipality as p on k.code = p.municipality
        """
    )
    assert got == {
        "name": {("kunta", "name"): False},
        "clients": {("visits", "hk_person"): True, ("visits", "municipality"): False},
    }


def test_union_branches_are_matched_by_position_and_stars_are_expanded() -> None:
    got = sources(
        """
        with both as (
            select municipality, hk_person from w.bv.visits
            union all
            select service, hk_person from w.bv.decisions
        )
        select * from both
        """
    )
    assert got == {
        "municipality": {("visits", "municipality"): False, ("decisions", "service"): False},
        "hk_person": {("visits", "hk_person"): False, ("decisions", "hk_person"): False},
    }


def test_subqueries_and_table_functions_are_traced_into() -> None:
    got = sources(
        """
        select cast(range as date) as month, (select max(wait) from w.bv.visits) as longest
        from range((select min(day) from w.bv.visits), (select max(day) from w.bv.visits), interval 1 month)
        """
    )
    assert got == {"month": {("visits", "day"): False}, "longest": {("visits", "wait"): False}}


def test_literals_and_values_have_no_source() -> None:
    got = sources(
        "select code, 'x' as tag, count(*) as n from (values ('a'), ('b')) as v (code) group by all"
    )
    assert got == {"code": {}, "tag": {}, "n": {}}


def test_a_table_that_is_not_a_model_seed_or_source_stops_the_lineage() -> None:
    with pytest.raises(LineageError, match=r"vault\.elsewhere"):
        sources("select x.hk_person from w.vault.elsewhere as x")


def test_a_star_over_an_unknown_table_stops_the_lineage() -> None:
    with pytest.raises(LineageError, match="star"):
        sources("select * from w.vault.elsewhere")


def test_without_aggregates_the_sources_are_those_sqlglot_lineage_finds() -> None:
    sql = """
        with a as (select hk_person, municipality, wait from w.bv.visits where wait > 0),
        b as (select service as municipality, hk_person, null as wait from w.bv.decisions),
        both_ as (select * from a union all select municipality, hk_person, wait from b)
        select both_.municipality,
               case when both_.wait > 1 then both_.hk_person end as person_if_waited,
               lag(both_.wait) over (partition by both_.municipality order by both_.wait) as previous_wait,
               (select max(k.name) from w.seeds.kunta as k) as a_name
        from both_
    """
    ours = sources(sql)
    for column, found in ours.items():
        node = lineage(column, sql, schema=SCHEMA, dialect="duckdb")
        leaves = {
            (n.source.name, n.name.split(".")[-1])
            for n in node.walk()
            if not n.downstream and isinstance(n.source, exp.Table)
        }
        assert set(found) == leaves, column
