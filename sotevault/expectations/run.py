"""Run the mart suites on the published DATA_DIR/marts.duckdb and render their Data Docs.

The Great Expectations project is a file context in DATA_DIR/great_expectations/: the suites
are written there from code on every run (the code is their one definition; the JSON files
are what Data Docs renders), and every run's results are kept there; the Data Docs index
shows the last INDEX_RUNS runs. marts.duckdb is only read: attached read-only in an in-memory session,
so analysts and the next publication are never blocked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import duckdb
import great_expectations as gx
import pandas as pd
from great_expectations.core import ExpectationSuiteValidationResult
from great_expectations.core.batch_definition import BatchDefinition
from great_expectations.core.expectation_validation_result import ExpectationValidationResult
from great_expectations.data_context.data_context.file_data_context import FileDataContext
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)
from great_expectations.datasource.fluent.pandas_datasource import PandasDatasource
from great_expectations.expectations.metadata_types import FailureSeverity

from sotevault.expectations.frame import read_mart_frame
from sotevault.expectations.marts import MART_SUITES
from sotevault.expectations.suite import MartSuite
from sotevault.marts import MARTS
from sotevault.paths import DataPaths

GE_DIR = "great_expectations"
DATASOURCE = "published_marts"
WHOLE_MART = "whole_mart"
CATALOG = "published"
EXAMPLES = 3
INDEX_RUNS = 92
"""Runs whose results the Data Docs index lists: a quarter of nightly runs."""


@dataclass(frozen=True)
class FailedExpectation:
    """One expectation a mart broke: what it says, how bad, and a few rows that broke it."""

    expectation: str  # the Great Expectations type, e.g. expect_column_values_to_be_between
    description: str
    severity: str  # critical or warning
    unexpected_count: int | None
    examples: tuple[str, ...]

    @property
    def headline(self) -> str:
        count = "" if self.unexpected_count is None else f" ({self.unexpected_count} rows)"
        return f"[{self.severity}] {self.description}{count}"

    def __str__(self) -> str:
        return "\n    ".join([self.headline, *self.examples])


@dataclass(frozen=True)
class MartValidation:
    """One mart's run of its suite: `passed` + `failed` expectations, and what failed."""

    mart: str
    rows: int
    success: bool
    passed: int
    failed: int
    failures: tuple[FailedExpectation, ...]

    @property
    def critical(self) -> bool:
        """Whether a failure makes the mart's figures wrong (not only a date out of range)."""
        return any(f.severity == FailureSeverity.CRITICAL.value for f in self.failures)

    def summary(self) -> str:
        head = f"{self.mart}: {self.passed} passed, {self.failed} failed on {self.rows} rows"
        return "\n".join([head, *(f"  {failure}" for failure in self.failures)])


def ge_project_dir(data_dir: Path) -> Path:
    return data_dir / GE_DIR


def marts_file(data_dir: Path) -> Path:
    return DataPaths(data_dir).marts_file


def run_mart_suites(data_dir: Path, marts: Iterable[str] = MARTS) -> dict[str, MartValidation]:
    """Validate each mart of DATA_DIR/marts.duckdb against its suite; keep the results."""
    published = marts_file(data_dir)
    if not published.is_file():
        raise FileNotFoundError(f"{published} does not exist: publish the marts first (sotevault run)")
    marts = tuple(marts)
    unknown = sorted(set(marts) - set(MART_SUITES))
    if unknown:
        raise ValueError(f"no expectation suite for {', '.join(unknown)}; suites: {', '.join(MART_SUITES)}")
    context = _context(data_dir)
    today = date.today()
    found: dict[str, MartValidation] = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{_sql_text(str(published))}' as {CATALOG} (read_only)")
        for mart in marts:
            suite = MART_SUITES[mart]()
            frame = read_mart_frame(con, suite, CATALOG)
            result = _validation_definition(context, suite, today).run(
                batch_parameters={"dataframe": frame},
                result_format={
                    "result_format": "SUMMARY",
                    "unexpected_index_column_names": [c for c in suite.grain if c in frame.columns],
                    "partial_unexpected_count": EXAMPLES,
                },
            )
            found[mart] = _mart_validation(mart, len(frame), result, suite)
    return found


def render_data_docs(data_dir: Path) -> Path:
    """Render the Data Docs: the suites, the indexed results without a page yet, the index;
    the index page's path.

    A result's page never changes once rendered, so a run renders its own results (and any a
    failed run left without a page), not every result kept: Great Expectations' full build
    re-rendered them all, ~27 ms a result here — a year of nightly runs keeps 1,460 results, ~40 s
    a run, growing with the history (docs/benchmarks.md). The index lists the last INDEX_RUNS
    runs (`_limit_index`).
    """
    context = _context(data_dir)
    suites: list[ExpectationSuiteIdentifier | ValidationResultIdentifier] = [
        ExpectationSuiteIdentifier(name=mart) for mart in MART_SUITES
    ]
    pages = _result_pages(context)
    if pages is None:  # a site not on this filesystem: render everything
        urls = context.build_data_docs()
    else:
        missing = list(dict.fromkeys(key for key, page in pages if not page.is_file()))
        # Suites and results in one list, as the site builder takes them (its annotation
        # allows a list of one kind or the other).
        urls = context.build_data_docs(resource_identifiers=suites + missing)  # type: ignore[arg-type]
    return Path(unquote(urlparse(next(iter(urls.values()))).path))


def _result_pages(context: FileDataContext) -> list[tuple[ValidationResultIdentifier, Path]] | None:
    """Each result the index lists with its page (rendered or not) in each Data Docs site; None
    when a site is not a directory of files."""
    directories = []
    for site in (context.variables.data_docs_sites or {}).values():
        backend = site.get("store_backend", {})
        if backend.get("class_name") != "TupleFilesystemStoreBackend" or "base_directory" not in backend:
            return None
        directories.append(Path(context.root_directory) / backend["base_directory"] / "validations")
    stored = context.validation_results_store.list_keys()
    keys = [key for key in stored if isinstance(key, ValidationResultIdentifier)]
    # The newest, as the site builder picks the results it renders and indexes.
    keys = sorted(keys, key=lambda k: k.run_id.run_time, reverse=True)[: _index_limit()]
    pages = []
    for key in keys:
        *folders, name = key.to_tuple()  # type: ignore[no-untyped-call]
        pages += [(key, directory.joinpath(*folders, f"{name}.html")) for directory in directories]
    return pages


def build_data_docs(data_dir: Path) -> Path:
    """Validate the current marts.duckdb and render the Data Docs; the index page's path.

    Without a marts.duckdb (nothing published yet) the Data Docs show the suites alone."""
    if marts_file(data_dir).is_file():
        run_mart_suites(data_dir)
    else:
        context = _context(data_dir)
        for make_suite in MART_SUITES.values():
            _validation_definition(context, make_suite(), date.today())
    return render_data_docs(data_dir)


def _sql_text(value: str) -> str:
    return value.replace("'", "''")


def _context(data_dir: Path) -> FileDataContext:
    context = gx.get_context(mode="file", context_root_dir=ge_project_dir(data_dir))
    # tqdm bars on stderr only clutter the Dagster log and make's output.
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    _limit_index(context)
    return context


def _limit_index(context: FileDataContext) -> None:
    """The Data Docs index lists the results of the last INDEX_RUNS runs.

    Building the index reads every result it lists (~4 ms each here): all of them, a year of
    nightly runs cost 6.1 s a run and ten years would cost a minute (docs/benchmarks.md).
    Older results stay kept, with their pages; Dagster keeps every run's check results.
    """
    limit = _index_limit()
    for name, site in (context.variables.data_docs_sites or {}).items():
        index = dict(site.get("site_index_builder") or {"class_name": "DefaultSiteIndexBuilder"})
        if index.get("validation_results_limit") != limit:
            index["validation_results_limit"] = limit
            context.update_data_docs_site(name, {**site, "site_index_builder": index})  # type: ignore[typeddict-item]


def _index_limit() -> int:
    return INDEX_RUNS * len(MART_SUITES)


def _validation_definition(
    context: FileDataContext, suite: MartSuite, today: date
) -> gx.ValidationDefinition:
    """The suite from code, against a pandas batch of the whole mart (given at run time)."""
    found = context.data_sources.all().get(DATASOURCE)
    datasource = found if isinstance(found, PandasDatasource) else context.data_sources.add_pandas(DATASOURCE)
    asset = (
        datasource.get_asset(suite.mart)
        if suite.mart in datasource.get_asset_names()
        else datasource.add_dataframe_asset(suite.mart)
    )
    batches: dict[str, BatchDefinition[Any]] = {b.name: b for b in asset.batch_definitions}
    batch = batches.get(WHOLE_MART) or asset.add_batch_definition_whole_dataframe(WHOLE_MART)
    expectations = context.suites.add_or_update(
        gx.ExpectationSuite(name=suite.mart, expectations=suite.expectations(today))
    )
    return context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite.mart, data=batch, suite=expectations)
    )


def _mart_validation(
    mart: str, rows: int, result: ExpectationSuiteValidationResult, suite: MartSuite
) -> MartValidation:
    failures = tuple(_failure(r, suite) for r in result.results if not r.success)
    return MartValidation(
        mart=mart,
        rows=rows,
        success=bool(result.success),
        passed=len(result.results) - len(failures),
        failed=len(failures),
        failures=failures,
    )


def _failure(result: ExpectationValidationResult, suite: MartSuite) -> FailedExpectation:
    config = result.expectation_config
    assert config is not None  # a suite's result always carries its expectation
    description = config.description or config.type
    details: Mapping[str, Any] = result.result or {}
    if result.exception_info and result.exception_info.get("raised_exception"):
        description += f" (could not be evaluated: {result.exception_info.get('exception_message')})"
    examples = tuple(_example(row, suite) for row in details.get("partial_unexpected_index_list") or [])
    if not examples and "observed_value" in details:
        examples = (f"observed: {details['observed_value']}",)
    return FailedExpectation(
        expectation=config.type,
        description=description,
        severity=FailureSeverity(config.severity).value,
        unexpected_count=details.get("unexpected_count"),
        examples=examples[:EXAMPLES],
    )


def _example(row: Mapping[str, Any], suite: MartSuite) -> str:
    """A failing row as its grain, then the values the expectation looked at."""
    key = ", ".join(f"{c}={_shown(row[c])}" for c in suite.grain if c in row)
    values = ", ".join(f"{c}={_shown(v)}" for c, v in row.items() if c not in suite.grain)
    return f"{key}: {values}" if values else key


def _shown(value: Any) -> str:
    """Months as dates, whole numbers without a decimal point (pandas makes a count float as
    soon as its column has a null, like the roll-up sums on every non-roll-up row)."""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return str(value.date())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
