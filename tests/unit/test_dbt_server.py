"""`sotevault-dbt` hands its command to the run's dbt server: same output, exit code and control."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from sotevault import dbt_server
from sotevault.paths import DBT_PROJECT_DIR

BIN = Path(sys.executable).parent
# A client that says whether the server took its command (None: it would run dbt itself).
CLIENT = textwrap.dedent(
    """
    import sys
    from sotevault.dbt_server import delegate
    code = delegate(sys.argv[1:])
    print(f"\\nserved: {code}", flush=True)
    """
)

pytestmark = pytest.mark.skipif(not dbt_server.available(), reason="needs fork and Unix sockets")


def probe_project(directory: Path) -> Path:
    """A dbt project on an in-memory DuckDB, its profiles.yml beside it."""
    directory.mkdir()
    (directory / "dbt_project.yml").write_text('name: probe\nversion: "1.0"\nprofile: probe\n')
    (directory / "profiles.yml").write_text(
        "probe:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ':memory:'\n"
    )
    return directory


def client(args: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
    """`delegate(args)` in a new process: its output, then "served: <exit code or None>"."""
    return subprocess.run(
        [sys.executable, "-c", CLIENT, *args], capture_output=True, text=True, timeout=120, **options
    )


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_children(server: int) -> list[int]:
    """The server's command children: forks of the server (not the resource tracker that dbt's
    adapter starts in the server when it parses the project)."""
    children = [int(pid) for pid in Path(f"/proc/{server}/task/{server}/children").read_text().split()]
    server_command = Path(f"/proc/{server}/cmdline").read_bytes()
    commands = {}
    for pid in children:
        with contextlib.suppress(OSError):
            commands[pid] = Path(f"/proc/{pid}/cmdline").read_bytes()
    # An exited child not yet reaped (a zombie) has no command line: still the server's child.
    return [pid for pid, command in commands.items() if command in (server_command, b"")]


def test_the_server_runs_the_command_in_the_clients_directory_environment_and_streams(tmp_path: Path) -> None:
    project = probe_project(tmp_path / "project")
    elsewhere = tmp_path / "profiles"
    elsewhere.mkdir()
    with dbt_server.started() as server:
        assert server is not None
        env = os.environ | {"DBT_PROFILES_DIR": str(elsewhere)}
        done = client(["debug", "--config-dir"], cwd=project, env=env)
        # Without the variable, dbt finds the profiles.yml in its working directory: the client's.
        env.pop("DBT_PROFILES_DIR")
        here = client(["debug", "--config-dir"], cwd=project, env=env)
    assert done.stdout.endswith("served: 0\n"), done.stdout + done.stderr
    assert str(elsewhere) in done.stdout
    assert here.stdout.endswith("served: 0\n"), here.stdout + here.stderr
    assert str(project) in here.stdout


def test_the_exit_code_and_errors_come_back_and_the_server_ends_with_its_block(tmp_path: Path) -> None:
    with dbt_server.started() as server:
        assert server is not None
        path = os.environ[dbt_server.SOCKET_ENV]
        bad = subprocess.run(
            [str(BIN / "sotevault-dbt"), "no-such-command"], capture_output=True, text=True, timeout=120
        )
        served = client(["no-such-command"])
    theirs = subprocess.run([str(BIN / "dbt"), "no-such-command"], capture_output=True, text=True)
    assert bad.returncode == theirs.returncode == 2
    assert "No such command 'no-such-command'" in bad.stderr
    assert served.stdout.endswith("served: 2\n")
    assert dbt_server.SOCKET_ENV not in os.environ
    assert not Path(path).parent.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(server, 0)


def test_without_a_server_sotevault_dbt_runs_dbt_itself(tmp_path: Path) -> None:
    env = os.environ | {dbt_server.SOCKET_ENV: str(tmp_path / "no-server")}
    done = subprocess.run(
        [str(BIN / "sotevault-dbt"), "--version"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "installed: 1.11" in done.stdout
    assert client(["--version"], env=env).stdout == "\nserved: None\n"


def test_no_server_where_its_socket_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Unix socket's path is at most ~108 bytes: a long TMPDIR leaves dbt to `sotevault-dbt`."""
    deep = tmp_path / ("d" * 120)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    with dbt_server.started() as server:
        assert server is None
        assert dbt_server.SOCKET_ENV not in os.environ
    assert list(deep.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the server's children from /proc")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["interrupted", "killed"])
def test_stopping_sotevault_dbt_stops_the_dbt_it_handed_over(tmp_path: Path, stop: signal.Signals) -> None:
    """Dagster stops a cancelled run's dbt by SIGINT to the process it launched, then kills it."""
    project = probe_project(tmp_path / "project")
    endless = "select sum(hash(i)) as s from range(1000000000000) as t(i)"
    with dbt_server.started() as server:
        assert server is not None
        launched = subprocess.Popen(
            [str(BIN / "sotevault-dbt"), "--debug", "--log-format", "json", "show", "--inline", endless],
            cwd=project,
            env=os.environ | {"DBT_PROFILES_DIR": str(project)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert launched.stdout is not None
        try:
            for line in launched.stdout:  # until dbt sends the query to DuckDB
                event = json.loads(line) if line.startswith("{") else {"info": {"name": ""}}
                if event["info"]["name"] == "SQLQuery" and "range(" in line:
                    break
            else:
                pytest.fail("dbt ended before running the query")
            [child] = server_children(server)
            # dbt cancels a query DuckDB is running; one about to start would run on. Busy for
            # half a second of CPU after its last log line, the child is running it.
            busy = cpu_seconds(child) + 0.5
            deadline = time.monotonic() + 60
            while cpu_seconds(child) < busy and time.monotonic() < deadline:
                time.sleep(0.1)
            launched.send_signal(stop)
            code = launched.wait(timeout=60)
            deadline = time.monotonic() + 30
            while server_children(server) and time.monotonic() < deadline:
                time.sleep(0.2)
            left = server_children(server)
        finally:
            launched.kill()
            for pid in server_children(server):  # a failed test leaves no endless query behind
                os.kill(pid, signal.SIGKILL)
    assert code != 0
    assert left == []
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)


def test_a_build_of_the_project_runs_on_the_servers_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server parses sotevault's project before any command (sotevault/dbt_prepared.py):
    a command that fits runs on that manifest and parses nothing; one with `--vars` of its own
    parses as dbt always does. Both load the seed."""
    monkeypatch.setenv("SOTEVAULT_DATA_DIR", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()

    def seed(name: str, *extra: str) -> list[str]:
        logs = tmp_path / name
        env = os.environ | {
            "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
            "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR),
            "DBT_TARGET_PATH": str(logs),
            "DBT_LOG_PATH": str(logs),
            "DBT_LOG_FORMAT": "json",
        }
        done = client(["seed", "--select", "sukupuoli", *extra], cwd=DBT_PROJECT_DIR, env=env)
        assert done.stdout.endswith("served: 0\n"), done.stdout + done.stderr
        return [json.loads(line)["info"]["name"] for line in (logs / "dbt.log").read_text().splitlines()]

    with dbt_server.started() as server:
        assert server is not None
        on_the_servers_parse = seed("fits")
        parsed_again = seed("vars", "--vars", '{"probe": 1}')
    parsing = {"PartialParsingEnabled", "UnableToPartialParse", "ParsePerfInfoPath"}
    assert not parsing & set(on_the_servers_parse)
    assert parsing & set(parsed_again)
    for events in (on_the_servers_parse, parsed_again):
        assert {"LogSeedResult", "CommandCompleted"} <= set(events)
    with duckdb.connect(str(tmp_path / "data" / "warehouse.duckdb"), read_only=True) as con:
        rows = len((DBT_PROJECT_DIR.parent / "seeds" / "sukupuoli.csv").read_text().splitlines()) - 1
        assert con.execute("select count(*) from seeds.sukupuoli").fetchone() == (rows,)
