"""The dbt project parsed by the dbt server ahead of its command.

A `dbt build` spends 1.7 s before its first model, each run, whatever the data: registering the
adapter (0.4 s), checking every project file for partial parsing (0.3 s) and writing the
manifest it parsed (0.4 s) are most of it (docs/benchmarks.md, "Fixed cost"). The dbt server
(sotevault/dbt_server.py) has the second core to itself while the run imports Dagster, so it
parses the project then, with dbt's own parser (`dbt parse`, seeded with the last run's partial
parse), and hands the parsed manifest to each command's child: dbt's documented way of reusing
a manifest (`dbtRunner(manifest=...)`; here through the same click command line, `obj`), which
skips the parse and its write. The build then writes its manifest and run results at the end,
as always.

A manifest only stands for the command it was parsed for. It is used only when dbt would parse
exactly the same project: the command builds, runs, tests or seeds (`fits`); its options only
choose what runs and where logs and artefacts go (no `--vars`, profile or target of its own);
the project and profiles are sotevault's; and the environment is the one the server parsed in,
but for the variables dagster-dbt sets for logging and paths. Anything else — `sotevault run
--full-check` (its `--vars`), a hand-run command, an edited environment — parses as before. So
does an edit to a model made while a run is in progress, between the server's parse and the build,
which the build would otherwise have seen.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sotevault.dbt_sources import PARTIAL_PARSE_NAME, PARTIAL_PARSE_SEED, publish_partial_parse, source_files
from sotevault.paths import DBT_PROJECT_DIR

# Commands that run the parsed project and parse nothing else.
COMMANDS = frozenset({"build", "run", "test", "seed"})
# Options that choose what runs, how it is logged and where artefacts go: none changes the parse.
# (--select and --exclude take several values.)
MULTI_VALUE_OPTIONS = frozenset({"--select", "-s", "--exclude"})
VALUE_OPTIONS = frozenset(
    {
        "--selector",
        "--resource-type",
        "--exclude-resource-type",
        "--indirect-selection",
        "--target-path",
        "--log-path",
        "--log-format",
        "--log-format-file",
        "--log-level",
        "--log-level-file",
        "--threads",
    }
)
FLAG_OPTIONS = frozenset(
    {
        "--quiet",
        "-q",
        "--no-quiet",
        "--fail-fast",
        "-x",
        "--no-fail-fast",
        "--use-colors",
        "--no-use-colors",
        "--print",
        "--no-print",
        "--write-json",
        "--debug",
        "--no-debug",
    }
)
PATH_OPTIONS = {"--project-dir": "DBT_PROJECT_DIR", "--profiles-dir": "DBT_PROFILES_DIR"}
# What dagster-dbt adds to the environment of every dbt command (DbtCliResource.cli): logging,
# artefact paths, selection of tests, and the client's own pointer to the server.
INVOCATION_ENV = frozenset(
    {
        "SOTEVAULT_DBT_SERVER",
        "PYTHONLEGACYWINDOWSSTDIO",
        "PYTHONUNBUFFERED",
        "DAGSTER_DBT_CLI",
        "DBT_SEND_ANONYMOUS_USAGE_STATS",
        "DBT_LOG_FORMAT",
        "DBT_TARGET_PATH",
        "DBT_LOG_PATH",
        "DBT_INDIRECT_SELECTION",
        *PATH_OPTIONS.values(),
    }
)


@dataclass(frozen=True)
class PreparedManifest:
    """A manifest dbt parsed for the project, in the environment `env`."""

    manifest: Any  # dbt.contracts.graph.manifest.Manifest (dbt is imported only by the server)
    env: dict[str, str]
    # What dbt's parse reads of the environment besides its own DBT_ flags: the names the
    # project's files pass to `env_var()`; None (the whole environment) when one is not a name.
    env_vars: frozenset[str] | None

    def fits(self, args: list[str], cwd: str, env: dict[str, str]) -> str | None:
        """None when dbt would parse this manifest for `dbt args`; otherwise why not."""
        paths = {option: env.get(variable) for option, variable in PATH_OPTIONS.items()}
        command: str | None = None
        tokens = list(args)
        i = 0
        while i < len(tokens):
            token = tokens[i]
            i += 1
            option, inline = token.split("=", 1)[0], "=" in token
            if option in PATH_OPTIONS:
                paths[option] = token.split("=", 1)[1] if inline else tokens[i] if i < len(tokens) else ""
                i += 0 if inline else 1
            elif option in MULTI_VALUE_OPTIONS:
                while not inline and i < len(tokens) and not tokens[i].startswith("-"):
                    i += 1
            elif option in VALUE_OPTIONS:
                i += 0 if inline else 1
            elif option in FLAG_OPTIONS:
                continue
            elif token.startswith("-"):
                return f"option {option}"
            elif command is None:
                command = token
            else:
                return f"argument {token}"
        if command not in COMMANDS:
            return f"command {command}"
        for option, given in paths.items():
            directory = Path(cwd, given) if given else Path(cwd)
            if directory.resolve() != DBT_PROJECT_DIR.resolve():
                return f"{option} {directory}"
        read = self.env.keys() | env.keys()
        if self.env_vars is not None:
            read = {key for key in read if key.startswith("DBT_") or key in self.env_vars}
        changed = sorted(key for key in read - INVOCATION_ENV if self.env.get(key) != env.get(key))
        if changed:
            return f"environment {', '.join(changed)}"
        return None


def prepare() -> PreparedManifest | None:
    """Parse the project with dbt, seeded with (and then updating) the last partial parse.

    None when dbt could not parse it: each command then parses on its own and reports why.
    """
    from dbt.adapters.factory import reset_adapters
    from dbt.cli.main import dbtRunner
    from dbt.contracts.graph.manifest import Manifest

    env = dict(os.environ)
    target = Path(tempfile.mkdtemp(prefix="sotevault-dbt-parse-"))
    try:
        with contextlib.suppress(OSError):
            shutil.copyfile(PARTIAL_PARSE_SEED, target / PARTIAL_PARSE_NAME)
        result = dbtRunner().invoke(
            [
                "parse",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(target),
                "--log-path",
                str(target),
                "--quiet",
                "--no-write-json",
                # dbt's static parser (dbt-extractor) leaves threads behind, and this process
                # forks a child for every command: a lock held by a thread that is not in the
                # child would hang it. Jinja parses the same project; a partial parse is as fast.
                "--no-static-parser",
            ]
        )
        # The server keeps no connection or adapter: each command's child registers its own.
        reset_adapters()  # type: ignore[no-untyped-call]
        if not result.success or not isinstance(result.result, Manifest):
            return None
        publish_partial_parse(target / PARTIAL_PARSE_NAME)
        return PreparedManifest(result.result, env, referenced_env_vars())
    finally:
        shutil.rmtree(target, ignore_errors=True)


# `env_var('NAME'` or `env_var("NAME"`; anything else after the parenthesis is not a plain name.
_ENV_VAR_CALL = re.compile(r"""env_var\(\s*(?:'([^']*)'|"([^"]*)"|())""")


def referenced_env_vars() -> frozenset[str] | None:
    """The environment variables the files dbt parses name in `env_var()` calls; None when a
    call names one by an expression (then any variable may be read)."""
    names: set[str] = set()
    for path in source_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for single, double, _ in _ENV_VAR_CALL.findall(text):
            if not (single or double):
                return None
            names.add(single or double)
    return frozenset(names)
