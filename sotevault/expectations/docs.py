"""`python -m sotevault.expectations.docs`: validate DATA_DIR/marts.duckdb against the mart
suites and render the Great Expectations Data Docs (part of `make docs`).

Exits 0 whether or not the marts meet their expectations: the Data Docs show what failed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sotevault.expectations.run import build_data_docs, marts_file, render_data_docs, run_mart_suites
from sotevault.paths import DataPaths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sotevault.expectations.docs", description=__doc__)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="the data directory holding marts.duckdb (default: $SOTEVAULT_DATA_DIR or ./data)",
    )
    args = parser.parse_args(argv)
    data_dir = (args.data_dir or DataPaths.from_env().data_dir).resolve()
    if marts_file(data_dir).is_file():
        for validation in run_mart_suites(data_dir).values():
            print(validation.summary())
        index = render_data_docs(data_dir)
    else:
        print(f"{marts_file(data_dir)} does not exist yet: the Data Docs show the suites only")
        index = build_data_docs(data_dir)
    print(f"Great Expectations Data Docs: {index}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
