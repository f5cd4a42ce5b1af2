"""Lineage from a compiled manifest: the raw tables' columns from the warehouse DDL, seeds' from
their CSV, each model's from its upstream, in DAG order whatever the manifest's order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sotevault.lineage import LineageEdge, LineageError, lineage_from_manifest


def model(name: str, folder: str, sql: str, depends_on: list[str]) -> dict[str, Any]:
    return {
        "resource_type": "model",
        "name": name,
        "fqn": ["sotevault", folder, name],
        "config": {"enabled": True},
        "database": "warehouse",
        "schema": folder,
        "alias": name,
        "compiled_code": sql,
        "depends_on": {"nodes": depends_on},
    }


def manifest(tmp_path: Path, mart_sql: str) -> dict[str, Any]:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "kunta.csv").write_text("code,name_fi\n018,Askola\n", encoding="utf-8")
    staging = """
        select md5_number(person_pseudonym) as hk_person, kunta as municipality_code,
               'omaolo' as record_source
        from "warehouse"."raw"."omaolo"
    """
    return {
        "nodes": {
            # The mart first: the order of the manifest is not the order of the DAG.
            "model.sotevault.mart_x": model("mart_x", "marts", mart_sql, ["model.sotevault.stg_omaolo"]),
            "model.sotevault.stg_omaolo": model(
                "stg_omaolo", "staging", staging, ["source.sotevault.raw.omaolo"]
            ),
            "seed.sotevault.kunta": {
                "resource_type": "seed",
                "name": "kunta",
                "fqn": ["sotevault", "kunta"],
                "config": {"enabled": True},
                "database": "warehouse",
                "schema": "seeds",
                "alias": "kunta",
                "root_path": str(tmp_path),
                "original_file_path": "seeds/kunta.csv",
            },
        },
        "sources": {
            "source.sotevault.raw.omaolo": {
                "source_name": "raw",
                "name": "omaolo",
                "database": "warehouse",
                "schema": "raw",
                "identifier": "omaolo",
            }
        },
    }


def test_each_model_reads_the_columns_its_upstream_was_found_to_have(tmp_path: Path) -> None:
    mart = """
        select k.name_fi, count(distinct s.hk_person) as clients
        from "warehouse"."staging"."stg_omaolo" as s
        inner join "warehouse"."seeds"."kunta" as k on s.municipality_code = k.code
        group by all
    """
    assert lineage_from_manifest(manifest(tmp_path, mart)) == [
        LineageEdge("stg_omaolo", "hk_person", "raw.omaolo", "person_pseudonym", False, "staging", "source"),
        LineageEdge("stg_omaolo", "municipality_code", "raw.omaolo", "kunta", False, "staging", "source"),
        LineageEdge("stg_omaolo", "record_source", None, None, False, "staging", None),
        LineageEdge("mart_x", "name_fi", "kunta", "name_fi", False, "marts", "seed"),
        LineageEdge("mart_x", "clients", "kunta", "name_fi", False, "marts", "seed"),
        LineageEdge("mart_x", "clients", "stg_omaolo", "hk_person", True, "marts", "staging"),
    ]


def test_a_star_is_expanded_from_the_upstream_model(tmp_path: Path) -> None:
    edges = lineage_from_manifest(manifest(tmp_path, 'select * from "warehouse"."staging"."stg_omaolo"'))
    assert [(e.model, e.column, e.source_model) for e in edges if e.model == "mart_x"] == [
        ("mart_x", "hk_person", "stg_omaolo"),
        ("mart_x", "municipality_code", "stg_omaolo"),
        ("mart_x", "record_source", "stg_omaolo"),
    ]


def test_a_column_the_upstream_does_not_have_stops_the_lineage(tmp_path: Path) -> None:
    sql = 'select s.hetu from "warehouse"."staging"."stg_omaolo" as s'
    with pytest.raises(LineageError, match=r"model mart_x: .*\bhetu\b"):
        lineage_from_manifest(manifest(tmp_path, sql))
