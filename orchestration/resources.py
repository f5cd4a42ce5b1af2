"""Resources: where the landing area and the warehouse are, read from the environment."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from sotevault.paths import DataPaths
from sotevault.pseudonym import install_macros
from sotevault.warehouse import connect, ensure_schema


class WarehouseResource(dg.ConfigurableResource):  # type: ignore[type-arg]
    """The data directory (warehouse.duckdb and friends) and the landing area it loads from."""

    data_dir: str
    landing_dir: str

    @property
    def paths(self) -> DataPaths:
        return DataPaths(Path(self.data_dir).resolve())

    @property
    def landing(self) -> Path:
        return Path(self.landing_dir).resolve()

    @contextmanager
    def ingest_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writing connection with the raw/audit schema and the pseudonymisation macros.

        Closed on exit: DuckDB lets one process hold the file, and dbt opens it next.
        """
        con = connect(self.paths.warehouse)
        try:
            ensure_schema(con)
            install_macros(con)
            yield con
        finally:
            con.close()


def warehouse_from_env() -> WarehouseResource:
    return WarehouseResource(
        data_dir=dg.EnvVar("SOTEVAULT_DATA_DIR"),
        landing_dir=dg.EnvVar("SOTEVAULT_LANDING_DIR"),
    )
