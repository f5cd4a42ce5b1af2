"""The executables end without freeing their modules, and lose nothing a normal exit keeps."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sotevault.dbt_command import exit_code

BIN = Path(sys.executable).parent


@pytest.mark.parametrize("collect", [True, False])
def test_exit_keeps_threads_atexit_handlers_and_buffered_output(tmp_path: Path, collect: bool) -> None:
    trace = tmp_path / "trace.txt"
    script = textwrap.dedent(
        f"""
        import atexit, threading, time
        from sotevault.fast_exit import exit_without_teardown

        def note(text):
            with open({str(trace)!r}, "a", encoding="utf-8") as out:
                out.write(text + "\\n")

        def late_worker():
            time.sleep(0.3)
            note("thread finished")

        atexit.register(note, "atexit ran")
        threading.Thread(target=late_worker).start()
        print("buffered line, no flush", end="")
        exit_without_teardown(7, collect={collect})
        """
    )
    # stdout is a pipe here, so the print sits in Python's buffer until exit flushes it.
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 7, done.stderr
    assert done.stdout == "buffered line, no flush"
    assert trace.read_text(encoding="utf-8").splitlines() == ["thread finished", "atexit ran"]


def test_sotevault_executable_returns_the_commands_exit_code_with_its_output(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(BIN / "sotevault"), "validate", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout.startswith(f"UNREADABLE {tmp_path}: no export files here")


def test_sotevault_dbt_is_dbts_command_line() -> None:
    """Same output and exit codes as the `dbt` executable, for success and for a usage error."""
    ours = subprocess.run([str(BIN / "sotevault-dbt"), "--version"], capture_output=True, text=True)
    theirs = subprocess.run([str(BIN / "dbt"), "--version"], capture_output=True, text=True)
    assert (ours.returncode, ours.stdout.splitlines()[:2]) == (0, theirs.stdout.splitlines()[:2])
    assert "installed: 1.11" in ours.stdout
    bad = subprocess.run([str(BIN / "sotevault-dbt"), "no-such-command"], capture_output=True, text=True)
    theirs_bad = subprocess.run([str(BIN / "dbt"), "no-such-command"], capture_output=True, text=True)
    assert bad.returncode == theirs_bad.returncode == 2
    assert "No such command 'no-such-command'" in bad.stderr


@pytest.mark.parametrize(("status", "code"), [(None, 0), (0, 0), (1, 1), (2, 2), ("stopped", 1)])
def test_exit_code_follows_python(status: object, code: int) -> None:
    assert exit_code(status) == code
