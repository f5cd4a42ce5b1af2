"""When the job runs by itself: nightly, on Helsinki time."""

import dagster as dg

from orchestration.assets.dbt import dbt_build_run_config
from orchestration.jobs import sotevault_job

# Sunday's run also reads every row of the vault in its data tests (the other nights read the
# rows loaded, or the keys touched, since each test last passed: macros/tests/tested_rows.sql).
FULL_CHECK_WEEKDAY = 6  # Monday = 0


@dg.schedule(
    name="daily_load",
    job=sotevault_job,
    cron_schedule="30 5 * * *",  # after the source systems' nightly extracts
    execution_timezone="Europe/Helsinki",
    description=(
        "Every morning: load what landed overnight and rebuild the vault, marts and exports; on "
        "Sundays the vault's data tests read every row."
    ),
)
def daily_load(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    full_check = context.scheduled_execution_time.weekday() == FULL_CHECK_WEEKDAY
    return dg.RunRequest(
        run_config=dbt_build_run_config(test_all_rows=full_check),
        tags={"sotevault/data_tests": "all rows" if full_check else "new rows"},
    )
