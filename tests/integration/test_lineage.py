"""The proof on the real project (dbt compile → column lineage): no mart or export column is
person-level; and a mart planted in a copy of the project that exposes a person key fails it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from sqlglot import exp
from sqlglot.lineage import lineage

from contracts.fields import FIELDS, Kind
from sotevault.cli import main
from sotevault.lineage import (
    LineageEdge,
    build_lineage,
    identity_columns,
    identity_roots,
    origins,
    person_level_violations,
    render_lineage_page,
    sqlglot_schema,
)
from sotevault.paths import DBT_PROJECT_DIR, REPO_ROOT
from sotevault.warehouse import PSEUDONYM_COLUMN, raw_column

pytestmark = pytest.mark.integration

LINEAGE_PAGE = REPO_ROOT / "docs" / "lineage.md"

# Planted in a copy of the project: person keys in the marts, and an export of one.
LEAKS = {
    "models/marts/mart_leak.sql": (
        "select hk_person, municipality_code, count(*) as visits\n"
        "from {{ ref('bv_visit_contact') }}\ngroup by all\n"
    ),
    "models/marts/mart_leak_pseudonym.sql": (
        "select person_pseudonym, count(distinct hk_person) as keys\n"
        "from {{ ref('hub_person') }}\ngroup by person_pseudonym\n"
    ),
    "models/exports/export_mart_leak.sql": "select municipality_code, visits from {{ ref('mart_leak') }}\n",
    # Counted, so not a leak: the test must not flag what is right.
    "models/marts/mart_leak_counted.sql": (
        "select municipality_code, count(distinct hk_person) as clients\n"
        "from {{ ref('bv_visit_contact') }}\ngroup by all\n"
    ),
}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[LineageEdge]]:
    scratch = tmp_path_factory.mktemp("lineage")
    edges = build_lineage(DBT_PROJECT_DIR, scratch / "target", scratch / "data")
    return scratch / "target" / "manifest.json", edges


@pytest.fixture(scope="module")
def edges(compiled: tuple[Path, list[LineageEdge]]) -> list[LineageEdge]:
    return compiled[1]


@pytest.fixture(scope="module")
def leak_edges(tmp_path_factory: pytest.TempPathFactory) -> list[LineageEdge]:
    copy = tmp_path_factory.mktemp("leaky_project")
    ignore = shutil.ignore_patterns("target", "logs", "dbt_packages")
    for part in ("dbt_project", "models", "macros", "seeds", "tests/dbt"):
        shutil.copytree(REPO_ROOT / part, copy / part, ignore=ignore)
    for path, sql in LEAKS.items():
        (copy / path).write_text(sql, encoding="utf-8")
    return build_lineage(copy / "dbt_project", copy / "target", copy / "data")


def test_no_mart_or_export_column_is_person_level(edges: list[LineageEdge]) -> None:
    assert person_level_violations(edges) == []
    published = {e.model for e in edges if e.model_layer in ("marts", "exports")}
    assert {
        "mart_unit_costs",
        "mart_care_guarantee",
        "export_mart_unit_costs",
        "dim_municipality",
    } <= published


def test_clients_is_hk_person_counted_and_visits_no_identity(edges: list[LineageEdge]) -> None:
    into: dict[tuple[str, str], set[tuple[tuple[str, str], bool]]] = {e.target: set() for e in edges}
    for e in edges:
        if e.source is not None:
            into[e.target].add((e.source, e.through_aggregate))
    clients = into[("mart_unit_costs", "clients")]
    assert (("bv_visit_contact", "hk_person"), True) in clients
    assert (("bv_social_contact", "hk_person"), True) in clients
    identity = identity_columns(edges)
    assert all(source not in identity for source, _ in into[("mart_care_guarantee", "visits")])
    assert into[("export_mart_unit_costs", "clients")] == {(("mart_unit_costs", "clients"), False)}
    # Back to raw: the export's clients come from every pseudonym, and only counted.
    ends = origins(edges, ("export_mart_unit_costs", "clients"))
    assert {c: counted for c, counted in ends.items() if c[1] == PSEUDONYM_COLUMN} == {
        ("raw.aptj_a", PSEUDONYM_COLUMN): True,
        ("raw.aptj_b", PSEUDONYM_COLUMN): True,
        ("raw.sos_paatokset", PSEUDONYM_COLUMN): True,
    }


def test_the_pseudonym_is_the_only_identity_past_ingestion(edges: list[LineageEdge]) -> None:
    with_hetu = {s for s, fields in FIELDS.items() if any(f.kind is Kind.HETU for f in fields)}
    assert all(
        raw_column(f) == PSEUDONYM_COLUMN for fields in FIELDS.values() for f in fields if f.kind is Kind.HETU
    )
    read = {s for s in with_hetu if any(e.source == (f"raw.{s}", PSEUDONYM_COLUMN) for e in edges)}
    assert identity_roots(edges) == {(f"raw.{s}", PSEUDONYM_COLUMN) for s in read}
    assert read == {"aptj_a", "aptj_b", "omaolo", "sos_paatokset"}
    # What the marts read: the business vault holds a person only as hk_person (and what is
    # computed per person from it); never the pseudonym.
    business_vault = {c for c in identity_columns(edges) if c[0].startswith("bv_")}
    assert {c for c in business_vault if c[1] == PSEUDONYM_COLUMN} == set()
    assert ("bv_visit_contact", "hk_person") in business_vault


def test_every_leaf_sqlglot_lineage_finds_is_one_of_ours(compiled: tuple[Path, list[LineageEdge]]) -> None:
    manifest_path, edges = compiled
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    schema, names = sqlglot_schema(manifest, edges)
    ours: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for e in edges:
        ours.setdefault(e.target, set())
        if e.source is not None:
            ours[e.target].add(e.source)
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        for column, graph in lineage(None, node["compiled_code"], schema=schema, dialect="duckdb").items():
            for leaf in graph.walk():
                if leaf.downstream or not isinstance(leaf.source, exp.Table):
                    continue
                if not isinstance(leaf.source.this, exp.Identifier):
                    continue  # a table function (range): sqlglot stops there, we trace its arguments
                relation = names[f"{leaf.source.db}.{leaf.source.name}".lower()]
                assert (relation, leaf.name.split(".")[-1]) in ours[(node["name"], column)], (
                    node["name"],
                    column,
                )


def test_a_planted_person_key_in_a_mart_fails_the_proof(leak_edges: list[LineageEdge]) -> None:
    found = person_level_violations(leak_edges)
    assert [(v.model, v.column) for v in found] == [
        ("export_mart_leak", "visits"),
        ("mart_leak", "hk_person"),
        ("mart_leak", "visits"),
        ("mart_leak_pseudonym", "keys"),
        ("mart_leak_pseudonym", "person_pseudonym"),
    ]
    by_column = {(v.model, v.column): v.chain for v in found}
    chain = by_column[("mart_leak", "hk_person")]
    assert chain[:3] == (
        ("mart_leak", "hk_person"),
        ("bv_visit_contact", "hk_person"),
        ("bv_visit_current", "hk_person"),
    )
    assert chain[-1][1] == PSEUDONYM_COLUMN and chain[-1][0].startswith("raw.")
    assert by_column[("mart_leak_pseudonym", "person_pseudonym")][1] == ("hub_person", "person_pseudonym")


def test_the_cli_writes_the_table_and_the_page_and_exits_1_on_a_leak(
    edges: list[LineageEdge],
    leak_edges: list[LineageEdge],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The compile is what the fixtures did; the CLI is tested on their lineage.
    results = iter([edges, leak_edges])
    monkeypatch.setattr("sotevault.lineage.build_lineage", lambda *_: next(results))
    duckdb.connect(str(tmp_path / "warehouse.duckdb")).close()
    page = tmp_path / "lineage.md"
    assert main(["lineage", "--data-dir", str(tmp_path), "--write-docs", str(page)]) == 0
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        stored = con.execute("select count(*) from audit.column_lineage").fetchone()
        clients = con.execute(
            "select through_aggregate from audit.column_lineage where model = 'mart_unit_costs' "
            "and \"column\" = 'clients' and source_model = 'bv_visit_contact' and source_column = 'hk_person'"
        ).fetchall()
    assert stored == (len(edges),)
    assert clients == [(True,)]
    assert page.read_text(encoding="utf-8") == render_lineage_page(edges)

    assert main(["lineage", "--data-dir", str(tmp_path / "nowhere")]) == 1
    out, err = capsys.readouterr()
    assert "does not exist: audit.column_lineage not written" in out
    assert (
        "VIOLATION mart_leak.hk_person is person-level: mart_leak.hk_person ← bv_visit_contact.hk_person"
        in err
    )


def test_docs_lineage_md_is_up_to_date(edges: list[LineageEdge]) -> None:
    assert LINEAGE_PAGE.read_text(encoding="utf-8") == render_lineage_page(edges), (
        "docs/lineage.md is stale: run `sotevault lineage --write-docs docs/lineage.md`"
    )
