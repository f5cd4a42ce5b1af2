"""The vault load's regression guard, affordable in CI: ratios on a small county, not times.

bench/guard.py loads the same last day of files into a short and a long history, by dbt (ours)
and by the hand-written floor on a copy; the two must give the same rows, ours must stay
within GUARD_LIMITS of the floor, and the long history's increment within GUARD_LIMITS of the
short one's. `make bench` measures the real targets (docs/benchmarks.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import guard

pytestmark = [pytest.mark.integration, pytest.mark.guard]


def test_the_vault_load_stays_near_the_floor_and_flat_in_history(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOTEVAULT_PSEUDONYM_KEY", "bench-guard-key")
    figures = guard.measure(tmp_path_factory.mktemp("guard-work"), tmp_path_factory.mktemp("guard-cache"))
    assert figures["short"]["differing_rows"] == 0, figures
    assert figures["long"]["differing_rows"] == 0, figures
    for ratio, limit in guard.GUARD_LIMITS.items():
        assert figures[ratio] <= limit, f"{ratio} = {figures[ratio]:.2f} > {limit}: {figures}"
