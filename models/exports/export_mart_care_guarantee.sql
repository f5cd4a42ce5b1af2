-- mart_care_guarantee as published in the Parquet exports: small cells suppressed.
select
    month,
    municipality_code,
    professional_group,
    {{ sotevault.suppressed_count('visits') }},
    {{ sotevault.suppressed_count('visits_within_7d') }},
    {{ sotevault.share_if_enough('share_within_7d', 'visits') }},
    {{ sotevault.suppressed_count('visits_within_14d') }},
    {{ sotevault.share_if_enough('share_within_14d', 'visits') }},
    {{ sotevault.figure_if_enough('median_wait_days', 'visits') }},
    {{ sotevault.figure_if_enough('p90_wait_days', 'visits') }},
    {{ sotevault.suppressed_count('visits_missing_assessment') }},
    {{ sotevault.suppressed_count('visits_invalid_wait') }},
    {{ sotevault.share_if_enough(
        'share_with_assessment', 'visits + visits_missing_assessment + visits_invalid_wait') }}
from {{ ref('mart_care_guarantee') }}
