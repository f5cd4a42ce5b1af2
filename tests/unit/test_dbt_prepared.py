"""When a command may run on the dbt server's own parse of the project (sotevault/dbt_prepared.py)."""

from __future__ import annotations

from sotevault.dbt_prepared import PreparedManifest, referenced_env_vars
from sotevault.paths import DBT_PROJECT_DIR

PROJECT = str(DBT_PROJECT_DIR)
# The environment of the run's process when the server parsed, and what dagster-dbt adds to it.
PARSED_IN = {"PATH": "/usr/bin", "SOTEVAULT_DATA_DIR": "/data", "DBT_PARTIAL_PARSE": "true"}
DAGSTER_DBT = {
    "DBT_TARGET_PATH": f"{PROJECT}/target/sotevault_dbt_assets-1",
    "DBT_LOG_PATH": f"{PROJECT}/target/sotevault_dbt_assets-1",
    "DBT_LOG_FORMAT": "json",
    "DBT_PROFILES_DIR": PROJECT,
    "DBT_PROJECT_DIR": PROJECT,
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DAGSTER_DBT_CLI": "true",
    "PYTHONUNBUFFERED": "1",
    "SOTEVAULT_DBT_SERVER": "/tmp/sotevault-dbt-x/socket",
}


def prepared() -> PreparedManifest:
    return PreparedManifest(manifest=object(), env=PARSED_IN, env_vars=frozenset({"SOTEVAULT_DATA_DIR"}))


def test_the_runs_build_fits_the_servers_parse() -> None:
    env = PARSED_IN | DAGSTER_DBT
    assert prepared().fits(["build", "--select", "fqn:*"], PROJECT, env) is None
    assert prepared().fits(["build", "--select", "stg_a", "hub_b+", "--threads", "1"], "/", env) is None
    assert prepared().fits(["--no-use-colors", "seed", "--select=kunta"], PROJECT, env) is None
    # Variables a library sets in the run's process, which dbt's parse does not read.
    assert prepared().fits(["build"], PROJECT, env | {"PYARROW_IGNORE_TIMEZONE": "1"}) is None


def test_a_command_that_parses_differently_parses_on_its_own() -> None:
    env = PARSED_IN | DAGSTER_DBT
    fits = prepared().fits
    assert fits(["build", "--vars", '{"sotevault_test_all_rows": true}'], PROJECT, env) == "option --vars"
    assert fits(["build", "--target", "other"], PROJECT, env) == "option --target"
    assert fits(["parse"], PROJECT, env) == "command parse"
    assert fits(["ls", "--select", "x"], PROJECT, env) == "command ls"
    assert fits(["build", "extra"], PROJECT, env) == "argument extra"
    assert fits(["build", "--profiles-dir", "/elsewhere"], PROJECT, env) == "--profiles-dir /elsewhere"
    # Without dagster-dbt's variables, dbt takes its project from the working directory.
    bare = dict(PARSED_IN)
    assert fits(["build"], "/elsewhere", bare) == "--project-dir /elsewhere"
    assert fits(["build"], PROJECT, bare) is None
    # A variable the project reads (profiles.yml: the warehouse) or one of dbt's own flags.
    for variable in ("SOTEVAULT_DATA_DIR", "DBT_PARTIAL_PARSE", "DBT_STATIC_PARSER"):
        assert fits(["build"], PROJECT, env | {variable: "other"}) == f"environment {variable}"


def test_unknown_reads_of_the_environment_compare_all_of_it() -> None:
    anything = PreparedManifest(manifest=object(), env=PARSED_IN, env_vars=None)
    env = PARSED_IN | DAGSTER_DBT
    assert anything.fits(["build"], PROJECT, env) is None
    assert anything.fits(["build"], PROJECT, env | {"PYARROW_IGNORE_TIMEZONE": "1"}) == (
        "environment PYARROW_IGNORE_TIMEZONE"
    )


def test_the_project_reads_the_warehouse_and_memory_limit_from_the_environment() -> None:
    assert referenced_env_vars() == frozenset({"SOTEVAULT_DATA_DIR", "SOTEVAULT_DUCKDB_MEMORY_LIMIT"})
