"""`dbt docs generate` works, and every vault model is documented with its grain."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sotevault.paths import DBT_PROJECT_DIR

from .conftest import LoadedCounty

pytestmark = pytest.mark.integration


def test_docs_generate_documents_every_vault_model(county: LoadedCounty, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "docs",
            "generate",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(tmp_path),
        ],
        env={**os.environ, "SOTEVAULT_DATA_DIR": str(county.data_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((tmp_path / "catalog.json").read_text(encoding="utf-8"))
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    vault = [m for m in models if m["fqn"][1] in ("raw_vault", "business_vault")]
    assert len(vault) >= 35
    staging = [m for m in models if m["fqn"][1] == "staging"]
    assert len(staging) == 8
    for model in models:
        assert "Grain" in model["description"] or "grain" in model["description"], model["name"]
        documented = {c for c, v in model["columns"].items() if v.get("description")}
        if model in staging:
            # In memory for the invocation that builds them (profiles.yml): not in the catalog
            # of a later one. Their columns are those of their compiled SQL on the warehouse.
            assert model["unique_id"] not in catalog["nodes"], model["name"]
            built = compiled_columns(county, tmp_path, model)
        else:
            assert model["unique_id"] in catalog["nodes"], model["name"]
            built = {c.lower() for c in catalog["nodes"][model["unique_id"]]["columns"]}
        assert built <= documented, (model["name"], sorted(built - documented))


def compiled_columns(county: LoadedCounty, target: Path, model: dict[str, Any]) -> set[str]:
    (path,) = (target / "compiled").rglob(f"staging/{model['name']}.sql")
    con = county.connect()
    try:
        described = con.execute(f"describe ({path.read_text(encoding='utf-8')})").fetchall()
    finally:
        con.close()
    return {str(row[0]).lower() for row in described}
