-- Access to non-urgent primary care (hoitotakuu), indicators.md § mart_care_guarantee.
-- Grain: month × municipality_code (seven + 000) × professional_group (LAAK, HOIT, OTHER, ALL).
with eligible as (
    select
        cast(date_trunc('month', visit_day) as date) as month,
        municipality_code,
        professional_group,
        case
            when assessment_day is null then 'missing'
            when wait_days < 0 then 'invalid'
            else 'valid'
        end as wait_kind,
        wait_days
    from {{ ref('bv_visit_contact') }}
    where service_type = 'T11' and urgency = 'E'
),

-- The visits of a cell by their wait. Every visit counts in its own cell and in the roll-ups
-- (000, ALL): medians of a roll-up are medians of its visits, never of its cells.
waits as (
    select month, municipality_code, professional_group, wait_kind, wait_days, count(*) as visits
    from eligible
    group by all
),

visits as (
    select
        month,
        {{ sotevault.rolled_up('municipality_code', '000') }} as municipality_code,
        {{ sotevault.rolled_up('professional_group', 'ALL') }} as professional_group,
        wait_kind,
        wait_days,
        cast(sum(visits) as bigint) as visits
    from waits
    {{ sotevault.group_by_rollups(['month', 'wait_kind', 'wait_days'], 'professional_group') }}
),

counts as (
    select
        month,
        municipality_code,
        professional_group,
        sum(visits) filter (where wait_kind = 'valid') as visits,
        sum(visits) filter (where wait_kind = 'valid' and wait_days <= 7) as visits_within_7d,
        sum(visits) filter (where wait_kind = 'valid' and wait_days <= 14) as visits_within_14d,
        sum(visits) filter (where wait_kind = 'missing') as visits_missing_assessment,
        sum(visits) filter (where wait_kind = 'invalid') as visits_invalid_wait
    from visits
    group by all
),

-- Nearest rank: the value at rank ceil(p × n); for p = 0.5 the lower middle of an even count.
-- The visits waiting a number of days hold the ranks up to their running total.
ranked as (
    select
        month,
        municipality_code,
        professional_group,
        wait_days,
        cast(sum(visits) over (
            partition by month, municipality_code, professional_group
            order by wait_days rows between unbounded preceding and current row
        ) as bigint) as last_rank,
        cast(sum(visits) over (partition by month, municipality_code, professional_group) as bigint)
            as valid_visits
    from visits
    where wait_kind = 'valid'
),

percentiles as (
    select
        month,
        municipality_code,
        professional_group,
        min(wait_days) filter (where last_rank >= ceil(0.5 * valid_visits)) as median_wait_days,
        min(wait_days) filter (where last_rank >= ceil(0.9 * valid_visits)) as p90_wait_days
    from ranked
    group by all
),

grid as (
    select months.month, municipalities.municipality_code, groups.professional_group
    from ({{ sotevault.month_spine('eligible') }}) as months
    cross join ({{ sotevault.municipalities_with_region() }}) as municipalities
    cross join (
        select distinct professional_group from {{ ref('ammatti') }}
        union all
        select 'ALL'
    ) as groups
),

filled as (
    select
        grid.month,
        grid.municipality_code,
        grid.professional_group,
        coalesce(counts.visits, 0) as visits,
        coalesce(counts.visits_within_7d, 0) as visits_within_7d,
        coalesce(counts.visits_within_14d, 0) as visits_within_14d,
        coalesce(counts.visits_missing_assessment, 0) as visits_missing_assessment,
        coalesce(counts.visits_invalid_wait, 0) as visits_invalid_wait,
        percentiles.median_wait_days,
        percentiles.p90_wait_days
    from grid
    left join counts using (month, municipality_code, professional_group)
    left join percentiles using (month, municipality_code, professional_group)
)

select
    month,
    municipality_code,
    professional_group,
    cast(visits as bigint) as visits,
    cast(visits_within_7d as bigint) as visits_within_7d,
    {{ sotevault.share('visits_within_7d', 'visits') }} as share_within_7d,
    cast(visits_within_14d as bigint) as visits_within_14d,
    {{ sotevault.share('visits_within_14d', 'visits') }} as share_within_14d,
    cast(median_wait_days as bigint) as median_wait_days,
    cast(p90_wait_days as bigint) as p90_wait_days,
    cast(visits_missing_assessment as bigint) as visits_missing_assessment,
    cast(visits_invalid_wait as bigint) as visits_invalid_wait,
    {{ sotevault.share('visits + visits_invalid_wait', 'visits + visits_missing_assessment + visits_invalid_wait') }}
        as share_with_assessment
from filled
order by month, municipality_code, professional_group
