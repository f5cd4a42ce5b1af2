"""`sotevault-dbt`: dbt's own command line, ended without the interpreter's teardown.

Dagster launches dbt as a subprocess for every run (dagster-dbt's `DbtCliResource`) and waits
for it to exit. dbt's command line is unchanged here — the same click group as the `dbt`
executable, the same arguments, output and exit codes — but once it has finished, the process
ends by `sotevault.fast_exit` instead of freeing dbt's modules and its parsed project one by one.
Within `sotevault run` the command is handed to the dbt server the run started, which has dbt
imported already (sotevault/dbt_server.py); without one, dbt runs here.
"""

from __future__ import annotations

import sys
from typing import Any

from sotevault.dbt_server import delegate
from sotevault.fast_exit import exit_without_teardown


def exit_code(status: object) -> int:
    """The process exit code Python gives `SystemExit(status)`."""
    if status is None:
        return 0
    if isinstance(status, int):
        return status
    print(status, file=sys.stderr)
    return 1


def run_dbt(obj: dict[str, Any] | None = None) -> int:
    """dbt's command line on `sys.argv`, in this process: its exit code. `obj` starts dbt's
    context object (e.g. a parsed `manifest`, as `dbtRunner(manifest=...)` passes it)."""
    from dbt.cli.main import cli

    try:
        cli(obj=obj)
        status: object = 0
    except SystemExit as stop:
        status = stop.code
    return exit_code(status)


def main() -> None:
    code = delegate(sys.argv[1:])
    exit_without_teardown(run_dbt() if code is None else code)
