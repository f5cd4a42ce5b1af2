"""A dbt started ahead of its command: the run's dbt import overlaps Dagster's start-up.

Every `sotevault run` launches dbt once, as a subprocess (dagster-dbt's `DbtCliResource` starts
`sotevault-dbt build …` and reads its output). A new Python importing dbt took 1.9 s before dbt
wrote its first line, on every run, whatever the data (docs/benchmarks.md, "Fixed cost").

`sotevault run` therefore starts this server first thing (`started`), on a Unix socket that is
listening before the server starts. The server imports dbt and its DuckDB adapter — on the
second core, while the run imports Dagster and loads its definitions — then waits. When the
dbt step launches `sotevault-dbt`, that executable (a Python importing nothing but the
standard library) hands its arguments, working directory, environment and standard streams to
the server (`delegate`); the server forks a child that takes them over and runs dbt's own
command line, exactly as the executable would have, and the child sends its exit code back.
The executable waits for it, forwards SIGINT and SIGTERM to the child (a cancelled Dagster run
stops dbt as before) and exits with that code; killed, it takes the child with it.

The server also parses the project once, ahead of the command, and a command that would parse
the same project runs on that manifest instead of parsing it again (sotevault/dbt_prepared.py).

Nothing else changes: the same arguments, output, log files and exit codes. Where no server
is running — `dagster dev`, a test calling the executable, a platform without `fork` or Unix
sockets, a server that could not start — `sotevault-dbt` runs dbt itself. A child forked from
the server holds no state of an earlier command: the server itself runs only that parse (and
keeps no adapter or connection from it), and each command gets its own child.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from sotevault.dbt_prepared import PreparedManifest

SOCKET_ENV = "SOTEVAULT_DBT_SERVER"
"""Environment variable naming the server's socket (set by `started` for the run's processes)."""

_LENGTH = struct.Struct("!Q")
_NUMBER = struct.Struct("!i")
_STREAMS = (0, 1, 2)
_FORWARDED = (signal.SIGINT, signal.SIGTERM)


def available() -> bool:
    """Whether this platform can run the server (fork, Unix sockets, passing descriptors)."""
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")


@contextlib.contextmanager
def started() -> Iterator[int | None]:
    """A dbt server for the processes this one starts, until the block ends: its pid.

    None where the platform cannot run one, it could not start (dbt then runs in `sotevault-dbt`
    as before), or a server is already named in the environment.
    """
    if not available() or os.environ.get(SOCKET_ENV):
        yield None
        return
    directory = tempfile.mkdtemp(prefix="sotevault-dbt-")
    path = str(Path(directory) / "socket")
    try:
        # Listening before the server starts: a command sent while it still imports dbt waits
        # in the queue. Only the server holds the socket: were it to die, commands are refused.
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
            listener.bind(path)  # e.g. a TMPDIR too long for a socket's path: no server
            listener.listen()
            # The server's own errors (an import that fails) go to the run's stderr; its
            # children write to the streams each command hands over.
            server = subprocess.Popen(
                [sys.executable, "-m", "sotevault.dbt_server", str(listener.fileno())],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                pass_fds=[listener.fileno()],
            )
    except OSError:
        shutil.rmtree(directory, ignore_errors=True)
        yield None
        return
    os.environ[SOCKET_ENV] = path
    try:
        yield server.pid
    finally:
        del os.environ[SOCKET_ENV]
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


def serve(listening: int) -> None:
    """Import dbt, then run each command sent to the socket `listening` in a child of its own.

    Ends when the process that started it is gone (or on SIGTERM, which `started` sends).
    """
    # Ctrl-C reaches the whole process group: the run stops dbt through its own children.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    owner = os.getppid()
    listener = socket.socket(fileno=listening)
    # What the server is for: a command finds dbt imported and the project parsed.
    import dbt.adapters.duckdb
    import dbt.cli.main  # noqa: F401

    from sotevault.dbt_prepared import prepare

    prepared: PreparedManifest | None = None
    try:
        prepared = prepare()
    except Exception:  # each command then parses on its own, and reports what fails
        traceback.print_exc()
    if _threads() > 1:
        # A child forked from a process with other threads may hang on a lock one of them held:
        # no server, then; each command runs dbt in its own process (`delegate` returns None).
        print("sotevault-dbt: the server is not single-threaded; dbt runs per command", file=sys.stderr)
        return
    signal.signal(signal.SIGTERM, _stop)
    listener.settimeout(1.0)
    try:
        while os.getppid() == owner:
            _reap_children()
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            if os.fork() == 0:
                listener.close()
                _run_command(connection, prepared)
            connection.close()
    finally:
        # A child reaped here counts in the run's resource usage (peak memory: `make bench`).
        _reap_children()


def _threads() -> int:
    """This process's threads: the operating system's count where it tells (native threads
    started by extensions included), Python's own elsewhere."""
    try:
        return sum(1 for _ in Path("/proc/self/task").iterdir())
    except OSError:
        return threading.active_count()


def _stop(signum: int, frame: FrameType | None) -> NoReturn:
    raise SystemExit(0)


def _reap_children() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _run_command(connection: socket.socket, prepared: PreparedManifest | None) -> NoReturn:
    """In the forked child: take over the client's command and streams, run dbt (on the
    server's parse of the project when it fits the command), report."""
    from sotevault.dbt_command import run_dbt
    from sotevault.fast_exit import finish_process

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    code = 1
    try:
        connection.settimeout(None)
        args, cwd, env = _receive_command(connection)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        connection.sendall(_NUMBER.pack(os.getpid()))
        threading.Thread(target=_end_with_client, args=(connection,), daemon=True).start()
        sys.argv = ["dbt", *args]
        fits = prepared is not None and prepared.fits(args, cwd, env) is None
        code = run_dbt({"manifest": prepared.manifest} if fits and prepared is not None else None)
    except BaseException:  # the client must hear back whatever happened here
        traceback.print_exc()
    finally:
        finish_process()
        with contextlib.suppress(OSError):
            connection.sendall(_NUMBER.pack(code))
        os._exit(code)


def _end_with_client(connection: socket.socket) -> None:
    """Kill this child when its client is gone before the exit code was sent.

    The client is the process Dagster launched: killed (a run's termination timeout, SIGKILL),
    it would have taken dbt with it, so its dbt goes too instead of running on unwatched.
    """
    with contextlib.suppress(OSError):
        connection.recv(1)
    os.kill(os.getpid(), signal.SIGKILL)


def _receive_command(connection: socket.socket) -> tuple[list[str], str, dict[str, str]]:
    header, fds, _, _ = socket.recv_fds(connection, _LENGTH.size, len(_STREAMS))
    if len(header) != _LENGTH.size or len(fds) != len(_STREAMS):
        raise ConnectionError("sotevault-dbt: incomplete command from the client")
    for fd, stream in zip(fds, _STREAMS, strict=True):
        os.dup2(fd, stream)
        os.close(fd)
    (length,) = _LENGTH.unpack(header)
    command = json.loads(_read_exactly(connection, length))
    return list(command["args"]), str(command["cwd"]), dict(command["env"])


def _read_exactly(connection: socket.socket, size: int) -> bytes:
    chunks: list[bytes] = []
    while size:
        chunk = connection.recv(min(size, 1 << 16))
        if not chunk:
            raise ConnectionError("sotevault-dbt: the connection closed early")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _read_number(connection: socket.socket) -> int | None:
    try:
        return int(_NUMBER.unpack(_read_exactly(connection, _NUMBER.size))[0])
    except ConnectionError:
        return None


def delegate(args: list[str]) -> int | None:
    """Run `dbt args` in the server named by the environment: its exit code.

    None when there is no server to take the command, and dbt has not started: the caller
    runs dbt itself.
    """
    path = os.environ.get(SOCKET_ENV)
    if not path or not available():
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
        command = json.dumps({"args": args, "cwd": str(Path.cwd()), "env": dict(os.environ)}).encode()
        socket.send_fds(connection, [_LENGTH.pack(len(command))], list(_STREAMS))
        connection.sendall(command)
    except OSError:
        connection.close()
        return None
    # The server answers once dbt is imported: the child's pid, sent before dbt starts.
    child = _read_number(connection)
    if child is None:
        connection.close()
        return None

    def forward(signum: int, frame: FrameType | None) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signum)

    for signum in _FORWARDED:
        signal.signal(signum, forward)
    code = _read_number(connection)
    connection.close()
    if code is None:
        print(f"sotevault-dbt: dbt (process {child}) ended without an exit code", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    from sotevault.fast_exit import exit_without_teardown

    # The run waits for its server to stop: freeing dbt's modules one by one, then collecting the
    # parsed project, took 0.52 s of it (0.033 s now). The server holds no connection: its parse
    # leaves no adapter behind (sotevault/dbt_prepared.py), its children are processes of their own.
    try:
        serve(int(sys.argv[1]))
    except SystemExit as stopped:
        exit_without_teardown(stopped.code if isinstance(stopped.code, int) else 1, collect=False)
    exit_without_teardown(0, collect=False)
