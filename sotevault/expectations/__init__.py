"""Great Expectations suites for the four marts (issue 4), run on the published marts.duckdb.

`run_mart_suites(data_dir)` validates each mart of DATA_DIR/marts.duckdb against its suite
(defined in `marts`, built from `suite`) and returns a `MartValidation` per mart;
`build_data_docs(data_dir)` does so and renders the Data Docs under
DATA_DIR/great_expectations/, returning the index page. `python -m sotevault.expectations.docs`
is the same from the command line (`make docs`).
"""

from sotevault.expectations.marts import MART_SUITES
from sotevault.expectations.run import (
    FailedExpectation,
    MartValidation,
    build_data_docs,
    render_data_docs,
    run_mart_suites,
)

__all__ = [
    "MART_SUITES",
    "FailedExpectation",
    "MartValidation",
    "build_data_docs",
    "render_data_docs",
    "run_mart_suites",
]
