"""`python -m sotevault.expectations.docs` (make docs): the Data Docs under DATA_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest

from sotevault.expectations.docs import main
from sotevault.marts import MARTS


def test_before_anything_is_published_the_docs_show_the_suites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path)]) == 0
    site = tmp_path / "great_expectations" / "uncommitted" / "data_docs" / "local_site"
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path / 'marts.duckdb'} does not exist yet: the Data Docs show the suites only",
        f"Great Expectations Data Docs: {site / 'index.html'}",
    ]
    assert sorted(p.name for p in (site / "expectations").iterdir()) == sorted(f"{m}.html" for m in MARTS)
    assert not (site / "validations").exists()
    assert not (tmp_path / "marts.duckdb").exists()  # nothing is written but the GE project
