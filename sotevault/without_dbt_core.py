"""`sotevault run`'s own process works without importing dbt-core.

The run's process never runs dbt: dagster-dbt launches `sotevault-dbt`, a process of its own (or
hands the command to the dbt server, sotevault/dbt_server.py). Yet importing dagster-dbt imports
dbt-core's adapters, results and node types (`dagster_dbt.compat`): 1.2–1.4 s of every run's
fixed cost, spent before the run starts (docs/benchmarks.md). dagster-dbt supports an orchestrating
process without dbt-core (its dbt Fusion set-up, where dbt is only an executable): `compat` then
defines those few types itself, with the same values, and selects the whole project from the
manifest. sotevault's dbt resource already takes dbt's version from the installed package and
builds no adapter in the orchestrating process (orchestration/dbt_resource.py), so nothing else
changes. Hiding dbt-core gives the run's process exactly that set-up: the same assets, checks and
dbt command line (tests/integration/test_orchestration.py compares the two asset graphs).

Only `sotevault run` hides it, and only when the manifest is current: re-parsing the project
(dagster-dbt's preparer) is the one thing in that process that uses dbt-core. `dagster dev`, the
tests and every other importer of the definitions import dbt-core as usual.
"""

from __future__ import annotations

import sys


def hide_dbt_core() -> bool:
    """Make `import dbt` fail in this process from now on (Python's documented `None` entry in
    `sys.modules`); False, and nothing hidden, when dbt-core has already been imported."""
    if "dbt" in sys.modules:
        return sys.modules["dbt"] is None
    sys.modules["dbt"] = None  # type: ignore[assignment]
    return True
