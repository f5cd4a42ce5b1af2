"""When the job runs by itself: nightly, on Helsinki time."""

import dagster as dg

from orchestration.jobs import sotevault_job

daily_load = dg.ScheduleDefinition(
    name="daily_load",
    job=sotevault_job,
    cron_schedule="30 5 * * *",  # after the source systems' nightly extracts
    execution_timezone="Europe/Helsinki",
    description="Every morning: load what landed overnight and rebuild the vault, marts and exports.",
)
