-- Contract rule results per loaded file, under the source names of the conformance mart
-- (the finance ledger and its cost-centre register are both `talous`), by extract month.
with results as (
    select * from {{ source('audit', 'rule_results') }}
)

select
    case when source like 'talous_%' then 'talous' else source end as source,
    source as source_table,
    file_name,
    cast(date_trunc('month', file_date) as date) as month,
    rule_id,
    severity,
    records_checked,
    records_failing
from results
