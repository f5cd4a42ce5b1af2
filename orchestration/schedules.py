"""When the job runs by itself: nightly, on Helsinki time."""

import dagster as dg

from orchestration.jobs import full_check_run_config, sotevault_job

# Sunday's run is the full check: the vault's data tests read every row (the other nights read
# the rows loaded, or the keys touched, since each test last passed: macros/tests/tested_rows.sql)
# and every landed file is hashed again (the other nights, those whose stamp moved:
# sotevault/ingest/file_hashes.py).
FULL_CHECK_WEEKDAY = 6  # Monday = 0


@dg.schedule(
    name="daily_load",
    job=sotevault_job,
    cron_schedule="30 5 * * *",  # after the source systems' nightly extracts
    execution_timezone="Europe/Helsinki",
    description=(
        "Every morning: load what landed overnight and rebuild the vault, marts and exports; on "
        "Sundays the vault's data tests read every row and every landed file is hashed again."
    ),
)
def daily_load(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    full_check = context.scheduled_execution_time.weekday() == FULL_CHECK_WEEKDAY
    return dg.RunRequest(
        run_config=full_check_run_config(full_check),
        tags={"sotevault/data_tests": "all rows" if full_check else "new rows"},
    )
