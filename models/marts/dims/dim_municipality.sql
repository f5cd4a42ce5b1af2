-- The municipalities the marts report, for BI: the seven of the region (seed kunta) and 000,
-- the whole region, whose population is the sum of the seven.
with municipalities as (
    select * from {{ ref('kunta') }}
),

region as (
    select
        '000' as code,
        'Koko hyvinvointialue' as name_fi,
        'Hela välfärdsområdet' as name_sv,
        true as is_region,
        sum(population_2020) as population_2020
    from municipalities
),

with_region as (
    select code, name_fi, name_sv, false as is_region, population_2020
    from municipalities
    union all
    select code, name_fi, name_sv, is_region, population_2020
    from region
)

select
    cast(code as varchar) as code,
    name_fi,
    name_sv,
    is_region,
    cast(population_2020 as integer) as population_2020
from with_region
order by code
