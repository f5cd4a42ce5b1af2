"""Session set-up shared by every test process."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Parse the dbt project once, in the controlling process, before test workers start:
    # workers then share one manifest instead of racing to write it.
    if not hasattr(config, "workerinput"):
        from orchestration.dbt_project import refresh_manifest

        refresh_manifest()
