-- Minimum-data-set conformance per source, extract month and rule,
-- indicators.md § mart_mds_conformance. Blocking and quality rules as ingestion counted them
-- per file (a row counts once per rule), plus `cost_centre_resolved` on the ledger lines that
-- count, by ledger month.
with file_rules as (
    select source, month, rule_id, records_checked, records_failing
    from {{ ref('bv_file_rule_results') }}
),

cost_centres as (
    select
        'talous' as source,
        ledger_month as month,
        'cost_centre_resolved' as rule_id,
        count(*) as records_checked,
        count(*) filter (where not is_resolved) as records_failing
    from {{ ref('bv_ledger_line_resolved') }}
    group by all
),

results as (
    select source, month, rule_id, sum(records_checked) as records_checked, sum(records_failing) as records_failing
    from (select * from file_rules union all select * from cost_centres)
    group by all
),

-- Every month from the first to the last extract, for every rule each source is checked by.
source_rules as (
    select distinct source, rule_id from results
),

grid as (
    select source_rules.source, months.month, source_rules.rule_id
    from source_rules
    cross join ({{ sotevault.month_spine('results') }}) as months
)

select
    grid.source,
    grid.month,
    grid.rule_id,
    rules.description as rule_description,
    cast(coalesce(results.records_checked, 0) as bigint) as records_checked,
    cast(coalesce(results.records_failing, 0) as bigint) as records_failing,
    {{ sotevault.share('results.records_checked - results.records_failing', 'results.records_checked') }}
        as conformance_share
from grid
left join results using (source, month, rule_id)
left join {{ ref('conformance_rule') }} as rules on grid.rule_id = rules.rule_id
order by grid.source, grid.month, grid.rule_id
