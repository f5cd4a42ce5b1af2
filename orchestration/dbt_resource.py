"""The dbt resource: dagster-dbt's `DbtCliResource` without two costs paid before dbt starts.

Before it launches `dbt build`, `DbtCliResource.cli` (dagster-dbt 0.29) runs `dbt --version` in a
subprocess to learn the version (a second Python start and dbt import: 3.5 s here) and builds a
dbt adapter in the Dagster process (dbt's imports, profile, project and macros: 4.3 s) that only
`fetch_column_metadata` and `fetch_row_counts` use, which sotevault does not call (row counts are
in audit.model_runs). Both were 7.7 s of every run's fixed cost (docs/benchmarks.md). The version
comes from the installed dbt-core package instead, the very package the `dbt` executable beside
this interpreter runs (orchestration/dbt_project.py); with no adapter, dagster-dbt streams events
and artefacts exactly as before.
"""

from importlib.metadata import version as installed_version
from typing import Any

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version


class SotevaultDbtResource(DbtCliResource):
    """`DbtCliResource` for the dbt-core installed in this environment (see the module docstring)."""

    # Spelled out for type checkers (pydantic would derive `project_dir: str` from the field);
    # Dagster re-creates resources with every field, hence **fields.
    def __init__(self, *, project_dir: str | DbtProject, **fields: Any) -> None:
        super().__init__(project_dir=project_dir, **fields)

    @property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Any) -> Any:
        return None
