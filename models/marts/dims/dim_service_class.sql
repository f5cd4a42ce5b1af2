-- The service classes the marts report, for BI: every class of seed palveluluokka
-- (codes.md § palveluluokka) and ALL, all classes together.
with classes as (
    select * from {{ ref('palveluluokka') }}
),

rows_ as (
    select code, meaning as name, task, service_unit, false as is_rollup
    from classes
    union all
    select 'ALL', 'Kaikki palveluluokat', null, null, true
)

select
    cast(code as varchar) as code,
    name,
    cast(task as varchar) as task,
    cast(service_unit as varchar) as service_unit,
    is_rollup
from rows_
order by is_rollup, code
