"""The `sotevault` command: generate a synthetic county, validate files, run the pipeline."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sotevault.paths import DEFAULT_DATA_DIR, DataPaths

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_REFUSED = 3
EXIT_CHECK_FAILED = 4
# The asset checks that fail when a landed file is refused (orchestration/assets/ingest.py).
REFUSAL_CHECKS = frozenset({"no_refused_files", "every_file_recognised"})


def _generate(args: argparse.Namespace) -> int:
    from sotevault.synthetic import generate_county

    report = generate_county(
        Path(args.landing),
        seed=args.seed,
        start=date.fromisoformat(args.start),
        days=args.days,
        scale=args.scale,
        fault_rate=args.fault_rate,
        progress=lambda msg: print(f"  {msg}", flush=True),
    )
    print(f"Wrote {len(report.files)} files to {args.landing}:")
    for source, count in sorted(report.rows.items()):
        print(f"  {source:<24}{count:>12,} rows")
    print(f"  injected faults: {len(report.faults)}")
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    from sotevault.instance import prepare_environment

    paths = prepare_environment(Path(args.data_dir), Path(args.landing))
    if args.ingest_only:
        return _run_job(args, paths)
    from sotevault import dbt_server

    # dbt imports in its server while this process imports Dagster (sotevault/dbt_server.py).
    with dbt_server.started():
        return _run_job(args, paths)


def _run_job(args: argparse.Namespace, paths: DataPaths) -> int:
    from sotevault.dbt_sources import manifest_is_current
    from sotevault.without_dbt_core import hide_dbt_core

    # dbt runs in processes of its own; this one needs dbt-core only to re-parse the project.
    if manifest_is_current():
        hide_dbt_core()
    # Imported after the environment is set: definitions read it through EnvVar.
    import dagster as dg
    import duckdb

    from orchestration.dbt_project import refresh_manifest

    refresh_manifest()

    from orchestration.assets.ingest import raw_load_run_config
    from orchestration.definitions import defs
    from orchestration.jobs import JOB_NAME, full_check_run_config
    from sotevault.summary import run_summary
    from sotevault.warehouse import connect

    print(f"Running job '{JOB_NAME}': landing {Path(args.landing).resolve()} → {paths.warehouse}", flush=True)
    with dg.DagsterInstance.get() as instance:
        job = defs.resolve_job_def(JOB_NAME)
        selection = None
        if args.ingest_only:
            selection = [
                key for key in job.asset_layer.executable_asset_keys if key.path[0] in ("landing", "raw")
            ]
        run_config: dict[str, Any] = {"loggers": {"console": {"config": {"log_level": args.log_level}}}}
        if args.full_check:  # an ingest-only run has no dbt step to configure
            run_config |= raw_load_run_config(True) if args.ingest_only else full_check_run_config(True)
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_config=run_config, asset_selection=selection
        )
        failed_checks = [
            e
            for e in result.get_asset_check_evaluations()
            if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
        ]
    try:
        con = connect(paths.warehouse, read_only=True)
    except duckdb.Error as err:  # e.g. another process holds the warehouse
        print(f"(no summary: {err})", file=sys.stderr)
    else:
        try:
            print(run_summary(con, result.run_id))
        finally:
            con.close()
    print(f"Dagster run {result.run_id} (DAGSTER_HOME={paths.dagster_home}; `make dev` shows it)")
    if result.success and not args.ingest_only:
        from sotevault.report import default_report_path

        print("Published:")
        print(f"  warehouse      {paths.warehouse}  (schemas raw, audit, vault, business_vault, marts)")
        print(f"  marts          {paths.marts_file}  (analysts: duckdb -readonly {paths.marts_file})")
        print(f"  exports        {paths.exports}/<mart>/year=YYYY/*.parquet  (+ manifest.json)")
        print(f"  report         {default_report_path(paths.data_dir)}")
    if not result.success:
        print("FAILED: the run did not complete; see the log above.", file=sys.stderr)
        return EXIT_FAILED
    for evaluation in failed_checks:
        print(
            f"FAILED CHECK {evaluation.asset_key.to_user_string()}: {evaluation.check_name}",
            file=sys.stderr,
        )
    if any(e.check_name in REFUSAL_CHECKS for e in failed_checks):
        print("Some files were refused (see REFUSED lines and audit.load_files).", file=sys.stderr)
        return EXIT_REFUSED
    if failed_checks:
        print(
            "A data-quality check of the marts failed (see the Dagster run and `make docs`).", file=sys.stderr
        )
        return EXIT_CHECK_FAILED
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from sotevault.validation import FIRST_LINES, FORMATS, validate_paths

    first_lines = FIRST_LINES if args.lines is None else args.lines
    report = validate_paths([Path(p) for p in args.paths], first_lines=first_lines)
    sys.stdout.write(FORMATS[args.format](report))
    return report.exit_code


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def _report(args: argparse.Namespace) -> int:
    from sotevault.report import ReportDataError, write_report

    try:
        written = write_report(Path(args.data_dir).resolve(), Path(args.out).resolve() if args.out else None)
    except ReportDataError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Wrote the indicator report ({written.data_period}) to {written.path}")
    return EXIT_OK


def _contracts_export(args: argparse.Namespace) -> int:
    from sotevault.contract_docs import export_contract_docs

    written = export_contract_docs(Path(args.dir))
    print(f"Wrote {len(written)} contract documents to {args.dir} (start at {Path(args.dir) / 'index.md'})")
    return EXIT_OK


def _lineage(args: argparse.Namespace) -> int:
    import tempfile

    import duckdb

    from sotevault.lineage import (
        LineageError,
        build_lineage,
        person_level_violations,
        render_lineage_page,
        write_lineage_table,
    )
    from sotevault.paths import DBT_PROJECT_DIR
    from sotevault.warehouse import connect

    # Compiled against a scratch warehouse: the first-run SQL, whatever DATA_DIR holds.
    with tempfile.TemporaryDirectory(prefix="sotevault-lineage-") as scratch:
        try:
            edges = build_lineage(DBT_PROJECT_DIR, Path(scratch) / "target", Path(scratch) / "data")
        except LineageError as error:
            print(f"FAILED: {error}", file=sys.stderr)
            return EXIT_FAILED
    models = {e.model for e in edges}
    print(f"Column lineage: {len(edges)} edges over {len(models)} models")
    code = EXIT_OK
    warehouse = DataPaths(Path(args.data_dir).resolve()).warehouse
    if warehouse.is_file():
        try:
            con = connect(warehouse)
        except duckdb.Error as error:  # e.g. another process holds the warehouse
            print(f"FAILED: audit.column_lineage not written: {error}", file=sys.stderr)
            code = EXIT_FAILED
        else:
            try:
                rows = write_lineage_table(con, edges)
            finally:
                con.close()
            print(f"  audit.column_lineage  {rows} rows in {warehouse}")
    else:
        print(f"  {warehouse} does not exist: audit.column_lineage not written")
    if args.write_docs:
        page = Path(args.write_docs)
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(render_lineage_page(edges), encoding="utf-8")
        print(f"  page                  {page}")
    violations = person_level_violations(edges)
    for violation in violations:
        print(f"VIOLATION {violation}", file=sys.stderr)
    if violations:
        print(f"FAILED: {len(violations)} published columns are person-level.", file=sys.stderr)
        return EXIT_FAILED
    print("No mart or export column derives from the pseudonym other than by counting.")
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sotevault", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write a synthetic county's source exports into a landing area")
    gen.add_argument(
        "--landing", required=True, help="landing directory to write LANDING/<source>/<file> into"
    )
    gen.add_argument("--seed", type=int, required=True)
    gen.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    gen.add_argument("--days", type=int, required=True)
    gen.add_argument("--scale", type=float, default=1.0, help="1.0 = the real region (98 254 residents)")
    gen.add_argument("--fault-rate", type=float, default=0.002, help="share of deliberately bad rows")
    gen.set_defaults(func=_generate)

    val = sub.add_parser(
        "validate",
        help="check files against their source's contract as a load would, without the warehouse",
        description=(
            "Read each file with its source's reader and check it with its source's contract, as "
            "`run` would. Exit 0: every row would load; 1: some rows would be quarantined; "
            "2: a file cannot be read as its source at all (unknown name, encoding, format)."
        ),
    )
    val.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a file (recognised by its name when outside LANDING/<source>/) or a landing directory",
    )
    val.add_argument("--format", choices=["text", "json", "junit"], default="text")
    val.add_argument(
        "--lines", type=_non_negative, help="how many line numbers to list per file and rule (default 5)"
    )
    val.set_defaults(func=_validate)

    run = sub.add_parser("run", help="load new landed files and build the warehouse (the Dagster job)")
    run.add_argument("--landing", required=True)
    run.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help="DATA_DIR (default: ./data)")
    run.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    run.add_argument(
        "--ingest-only", action="store_true", help="load new landed files into raw; do not build the vault"
    )
    run.add_argument(
        "--full-check",
        "--test-all-rows",
        dest="full_check",
        action="store_true",
        help=(
            "the weekly full check (the schedule does this on Sundays): the vault's data tests read "
            "every row, not only those loaded (or the keys touched) since each test last passed, and "
            "every landed file is hashed again, not only those whose size, times or inode moved"
        ),
    )
    run.set_defaults(func=_run)

    report = sub.add_parser(
        "report", help="write the indicator report: one self-contained HTML page from the published marts"
    )
    report.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help="DATA_DIR (default: ./data)")
    report.add_argument("--out", help="HTML file to write (default: DATA_DIR/report/index.html)")
    report.set_defaults(func=_report)

    contracts = sub.add_parser("contracts", help="publish the source contracts for source-system vendors")
    contract_actions = contracts.add_subparsers(dest="action", required=True)
    export = contract_actions.add_parser(
        "export",
        help="write per source a JSON Schema and a Markdown page, and index.md, into DIR",
        description=(
            "Write the published contracts, generated from the contracts and the code-list seeds: "
            "per source SOURCE.schema.json and SOURCE.md, and index.md. Earlier generated files "
            "that no source has any more are removed; other files in DIR are left alone."
        ),
    )
    export.add_argument("dir", metavar="DIR", help="directory to write into (e.g. docs/contracts)")
    export.set_defaults(func=_contracts_export)

    lineage = sub.add_parser(
        "lineage",
        help="column lineage of every dbt model; fails if a mart or export column is person-level",
        description=(
            "Compile the dbt project, trace every model column to the columns it is computed from, "
            "write audit.column_lineage into DATA_DIR/warehouse.duckdb (when it exists) and, with "
            "--write-docs, the Markdown page. Exit 1 when a mart or export column derives from the "
            "pseudonym other than by counting (docs/lineage.md)."
        ),
    )
    lineage.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help="DATA_DIR (default: ./data)")
    lineage.add_argument("--write-docs", metavar="PATH", help="write the lineage page here (docs/lineage.md)")
    lineage.set_defaults(func=_lineage)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


def entry() -> None:
    """The `sotevault` executable: `main`, then an exit that skips freeing the imported modules."""
    from sotevault.fast_exit import exit_without_teardown

    exit_without_teardown(main())


if __name__ == "__main__":
    sys.exit(main())
