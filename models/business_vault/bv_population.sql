-- Population on 31 December by municipality, year, sex and age group, from the latest file
-- that holds the year.
with population as (
    select * from {{ ref('sat_municipality_population') }}
),

newest as (
    select year, max(src_order) as file_date from population group by year
)

select
    hub.municipality_code,
    population.year,
    population.sex,
    population.age_group,
    population.population
from population
inner join newest on population.year = newest.year and population.src_order = newest.file_date
inner join {{ ref('hub_municipality') }} as hub on population.hk_municipality = hub.hk_municipality
