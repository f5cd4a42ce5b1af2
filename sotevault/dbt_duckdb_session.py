"""The session every dbt connection to the warehouse starts with, set once per database.

dbt opens a connection (a DuckDB cursor) for every node it runs and closes it after. A setting
in the profile's `settings` is a `SET` sent on each of those cursors: three settings cost ~2 ms
per node, and the first statement of each node carried it (docs/benchmarks.md, "Connection
set-up"). DuckDB's global settings are set once for the database instead:

- `memory_limit` and `preserve_insertion_order` are instance-wide: the profile passes them to
  `duckdb.connect` (`config_options`);
- the time zone is per connection, but a new connection starts from the global value, and
  `TimeZone` cannot be passed to `duckdb.connect` (it belongs to the ICU extension, loaded only
  once the database is open). This dbt-duckdb plugin (`plugins:` in profiles.yml) sets it
  globally when dbt opens the database, before any cursor: every node runs in UTC whatever
  the machine's time zone, as the ingestion's connections do (sotevault/warehouse.py).
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

TIME_ZONE = "UTC"


class Plugin(BasePlugin):
    """Sets the database's time zone once (dbt-duckdb calls `configure_connection` on open)."""

    def configure_connection(self, conn: Any) -> None:
        conn.execute(f"set global TimeZone = '{TIME_ZONE}'")
