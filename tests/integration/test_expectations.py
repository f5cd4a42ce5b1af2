"""The Great Expectations asset checks on publication/marts_duckdb, run by Dagster for real
against a hand-made marts.duckdb (tests/unit/test_expectations_suites.py builds it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from orchestration.assets.expectations import MART_EXPECTATION_CHECKS, check_name
from orchestration.assets.publish import MARTS_FILE_KEY
from orchestration.resources import WarehouseResource
from sotevault.expectations import run as expectations_run
from sotevault.marts import MARTS
from tests.unit.test_expectations_suites import MONTHS, clean_marts, find_row, write_marts

pytestmark = pytest.mark.integration

JOB = "mart_expectations"


def _evaluate(data_dir: Path, marts: list[str]) -> dict[str, dg.AssetCheckEvaluation]:
    """Run the checks of `marts` in a job of their own, as the UI's "execute checks" does."""
    keys = [dg.AssetCheckKey(MARTS_FILE_KEY, check_name(mart)) for mart in marts]
    defs = dg.Definitions(
        assets=[dg.AssetSpec(MARTS_FILE_KEY)],
        asset_checks=MART_EXPECTATION_CHECKS,
        jobs=[dg.define_asset_job(JOB, selection=dg.AssetSelection.checks(*keys))],
        resources={
            "warehouse": WarehouseResource(data_dir=str(data_dir), landing_dir=str(data_dir / "landing"))
        },
    )
    result = defs.resolve_job_def(JOB).execute_in_process(instance=dg.DagsterInstance.ephemeral())
    assert result.success  # a failed check is a result, not a failed run
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def data_docs_site(data_dir: Path) -> Path:
    return data_dir / "great_expectations" / "uncommitted" / "data_docs" / "local_site"


def test_one_check_per_mart_on_the_published_file() -> None:
    (checks,) = MART_EXPECTATION_CHECKS
    assert {(key.asset_key, key.name) for key in checks.check_keys} == {
        (MARTS_FILE_KEY, f"ge_{mart}") for mart in MARTS
    }
    assert all(not spec.blocking for spec in checks.check_specs)


def test_the_checks_pass_warn_and_fail_per_mart(tmp_path: Path) -> None:
    marts = clean_marts()
    # Care guarantee: every month years ahead, a wrong date rather than a wrong figure.
    for row in marts["mart_care_guarantee"]:
        row["month"] = row["month"].replace(year=date.today().year + 5)
    # E-contacts: February's region row of health contacts is not the sum of the seven.
    find_row(marts["mart_e_contact_share"], month=MONTHS[1], municipality_code="000", service_area="health")[
        "contacts"
    ] += 1
    write_marts(tmp_path, marts)

    evaluations = _evaluate(tmp_path, list(MARTS))

    assert {name: (e.passed, e.severity) for name, e in evaluations.items()} == {
        "ge_mart_care_guarantee": (False, dg.AssetCheckSeverity.WARN),
        "ge_mart_e_contact_share": (False, dg.AssetCheckSeverity.ERROR),
        "ge_mart_unit_costs": (True, dg.AssetCheckSeverity.ERROR),
        "ge_mart_mds_conformance": (True, dg.AssetCheckSeverity.ERROR),
    }
    contacts = {k: v.value for k, v in evaluations["ge_mart_e_contact_share"].metadata.items()}
    assert contacts["rows"] == 3 * 8 * 3
    assert contacts["expectations_failed"] == 2
    assert contacts["failed_expectations"] == (
        "- [critical] contacts of municipality_code 000 is the sum over the seven municipalities "
        "(per month × service_area) (1 rows)\n"
        "  - `month=2024-02-01, municipality_code=000, service_area=health: contacts=87, "
        "contacts__sum_over_municipality_code=86`\n"
        "- [critical] contacts of service_area ALL is the sum over health and social "
        "(per month × municipality_code) (1 rows)\n"
        "  - `month=2024-02-01, municipality_code=000, service_area=ALL: contacts=182, "
        "contacts__sum_over_service_area=183`"
    )
    docs = Path(str(contacts["data_docs"]))
    assert docs == data_docs_site(tmp_path) / "index.html"
    assert docs.is_file()
    for mart in MARTS:
        assert (docs.parent / "expectations" / f"{mart}.html").is_file()
        assert len(list((docs.parent / "validations" / mart).rglob("*.html"))) == 1


def test_a_single_check_validates_its_mart_alone(tmp_path: Path) -> None:
    write_marts(tmp_path, clean_marts())
    evaluations = _evaluate(tmp_path, ["mart_mds_conformance"])
    assert {name: e.passed for name, e in evaluations.items()} == {"ge_mart_mds_conformance": True}
    results = tmp_path / "great_expectations" / "uncommitted" / "validations"
    assert sorted(p.name for p in results.iterdir() if p.is_dir()) == ["mart_mds_conformance"]


def test_each_run_renders_its_own_results_and_the_index_lists_every_run(tmp_path: Path) -> None:
    """Data Docs grow by a run's results: kept pages are not rendered again, a lost one is."""
    write_marts(tmp_path, clean_marts())
    site = data_docs_site(tmp_path)
    _evaluate(tmp_path, list(MARTS))
    first = {page: page.stat().st_mtime_ns for page in (site / "validations").rglob("*.html")}
    assert len(first) == len(MARTS)
    lost = next(page for page in first if "mart_unit_costs" in page.parts)
    lost.unlink()

    _evaluate(tmp_path, list(MARTS))

    pages = sorted((site / "validations").rglob("*.html"))
    assert len(pages) == 2 * len(MARTS)
    assert lost.is_file()
    assert {page: page.stat().st_mtime_ns for page in first if page != lost} == {
        page: mtime for page, mtime in first.items() if page != lost
    }
    index = (site / "index.html").read_text(encoding="utf-8")
    for page in pages:
        assert page.relative_to(site).as_posix() in index


def test_the_index_lists_the_last_runs_and_keeps_every_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(expectations_run, "INDEX_RUNS", 1)
    write_marts(tmp_path, clean_marts())
    site = data_docs_site(tmp_path)
    _evaluate(tmp_path, list(MARTS))
    first = set((site / "validations").rglob("*.html"))
    _evaluate(tmp_path, list(MARTS))

    pages = set((site / "validations").rglob("*.html"))
    results = tmp_path / "great_expectations" / "uncommitted" / "validations"
    assert len(list(results.rglob("*.json"))) == len(pages) == 2 * len(MARTS)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert {page for page in pages if page.relative_to(site).as_posix() in index} == pages - first
