"""Ending a `sotevault` process without the interpreter's teardown of its modules.

A run imports Dagster, dagster-dbt, dbt, pandera, polars and Great Expectations: some 5,000
modules. When Python exits normally it then frees them one by one, which took 1.3 s here after
the last line of output (measured on the imports alone: 1.32–1.40 s against 0.06 s with
`os._exit`; docs/benchmarks.md) — part of every run's fixed cost, spent on nothing a user sees.

`exit_without_teardown` keeps everything a normal exit promises: non-daemon threads are
waited for, unreachable objects are collected (a DuckDB connection left to the garbage
collector is closed, so its database is checkpointed and closed), the `atexit` handlers run
(logging's flush and close among them), stdout and stderr are flushed. Only then does it end
the process with `os._exit`, skipping the freeing of module objects.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import threading
from typing import NoReturn


def exit_without_teardown(code: int, collect: bool = True) -> NoReturn:
    """Exit with `code` as a normal exit would, less the teardown of the imported modules.

    `collect=False` skips the garbage collection too: for a process that holds no connection or
    file a collection would close (the dbt server: 0.11 s of collecting dbt's parsed project).
    """
    finish_process(collect)
    os._exit(code)


def finish_process(collect: bool = True) -> None:
    """Everything a normal exit does before it frees the modules (see the module docstring)."""
    current = threading.current_thread()
    for thread in threading.enumerate():
        if thread is not current and not thread.daemon:
            thread.join()
    if collect:
        gc.collect()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe or stream: nothing left to flush.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
