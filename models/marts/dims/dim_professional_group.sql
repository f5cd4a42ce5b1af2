-- The professional groups of mart_care_guarantee, for BI: every group seed ammatti maps a
-- profession to (LAAK, HOIT, OTHER) and ALL. The seeds hold no names for the groups, so they
-- are labelled here; a group added to the seed without a label fails the not_null tests.
with groups as (
    select distinct professional_group as code from {{ ref('ammatti') }}
    union all
    select 'ALL'
)

select
    cast(code as varchar) as code,
    case code
        when 'LAAK' then 'Lääkäri'
        when 'HOIT' then 'Sairaan- tai terveydenhoitaja'
        when 'OTHER' then 'Muut ammattiryhmät'
        when 'ALL' then 'Kaikki ammattiryhmät'
    end as name_fi,
    case code
        when 'LAAK' then 'Physician'
        when 'HOIT' then 'Nurse or public health nurse'
        when 'OTHER' then 'Other professional groups'
        when 'ALL' then 'All professional groups'
    end as name_en,
    code = 'ALL' as is_rollup
from groups
order by is_rollup, code
