-- €/service, €/client and €/resident per service class, indicators.md § mart_unit_costs.
-- Grain: year × municipality_code (seven + 000) × service_class (each class of codes.md and ALL).
with ledger as (
    select * from {{ ref('bv_ledger_line_resolved') }}
),

-- Region-wide cost centres (municipality 000) count only in the 000 rows; every other line
-- counts in its municipality and in 000. Every line counts in its class and in ALL.
money_lines as (
    select
        year(posted_on) as year,
        municipality_code,
        service_class,
        coalesce(sum(amount) filter (where account between 4000 and 4999), 0) as cost_eur,
        -coalesce(sum(amount) filter (where account between 3000 and 3999), 0) as income_eur
    from ledger
    where is_resolved
    group by all
),

money_totals as (
    select
        year,
        {{ sotevault.rolled_up('municipality_code', '000') }} as municipality_code,
        {{ sotevault.rolled_up('service_class', 'ALL') }} as service_class,
        sum(cost_eur) as cost_eur,
        sum(income_eur) as income_eur
    from money_lines
    {{ sotevault.group_by_rollups(['year'], 'service_class') }}
),

-- Services: realised client contacts classed by their service type, and deliveries under
-- granted decisions classed by the decision's service; Omaolo is not a service here.
services as (
    select year(visit_day) as year, municipality_code, service_class, hk_person
    from {{ ref('bv_visit_contact') }}
    union all
    select year(delivered_on), municipality_code, service_class, hk_person
    from {{ ref('bv_social_contact') }}
),

-- Rows first reduced to what a cell needs: its number of services, and its clients once each
-- (the roll-ups count a client once however many cells the client has services in).
services_by_cell as (
    select year, municipality_code, service_class, count(*) as services
    from services
    group by all
),

clients_by_cell as (
    select distinct year, municipality_code, service_class, hk_person
    from services
),

service_totals as (
    select
        year,
        {{ sotevault.rolled_up('municipality_code', '000') }} as municipality_code,
        {{ sotevault.rolled_up('service_class', 'ALL') }} as service_class,
        sum(services) as services
    from services_by_cell
    {{ sotevault.group_by_rollups(['year'], 'service_class') }}
),

client_totals as (
    select
        year,
        {{ sotevault.rolled_up('municipality_code', '000') }} as municipality_code,
        {{ sotevault.rolled_up('service_class', 'ALL') }} as service_class,
        count(distinct hk_person) as clients
    from clients_by_cell
    {{ sotevault.group_by_rollups(['year'], 'service_class') }}
),

residents as (
    select year, municipality_code, sum(population) as residents
    from {{ ref('bv_population') }}
    group by all
    union all
    select year, '000', sum(population)
    from {{ ref('bv_population') }}
    group by all
),

years as (
    select distinct year(posted_on) as year from ledger
    union
    select distinct year from services
),

grid as (
    select years.year, municipalities.municipality_code, classes.service_class
    from years
    cross join ({{ sotevault.municipalities_with_region() }}) as municipalities
    cross join (select code as service_class from {{ ref('palveluluokka') }} union all select 'ALL') as classes
),

filled as (
    select
        grid.year,
        grid.municipality_code,
        grid.service_class,
        cast(coalesce(money_totals.cost_eur, 0) as decimal(18, 2)) as cost_eur,
        cast(coalesce(money_totals.income_eur, 0) as decimal(18, 2)) as income_eur,
        coalesce(service_totals.services, 0) as services,
        coalesce(client_totals.clients, 0) as clients,
        residents.residents
    from grid
    left join money_totals using (year, municipality_code, service_class)
    left join service_totals using (year, municipality_code, service_class)
    left join client_totals using (year, municipality_code, service_class)
    left join residents using (year, municipality_code)
)

select
    cast(year as integer) as year,
    municipality_code,
    service_class,
    cost_eur,
    income_eur,
    cast(cost_eur - income_eur as decimal(18, 2)) as net_cost_eur,
    cast(services as bigint) as services,
    cast(clients as bigint) as clients,
    cast(residents as bigint) as residents,
    cast({{ sotevault.eur_per('cost_eur', 'services') }} as decimal(18, 2)) as eur_per_service,
    cast({{ sotevault.eur_per('cost_eur', 'clients') }} as decimal(18, 2)) as eur_per_client,
    cast({{ sotevault.eur_per('cost_eur', 'residents') }} as decimal(18, 2)) as eur_per_resident
from filled
order by year, municipality_code, service_class
