-- The cost-centre register in force: every validity row of the newest register file (by the
-- date in its name). Older register files play no part (sources.md); the newest is the newest
-- file loaded, whether or not its rows passed.
with register as (
    select * from {{ ref('sat_cost_centre_register') }}
),

newest as (
    select max(file_date) as register_date
    from {{ source('audit', 'load_files') }}
    where source = 'talous_kustannuspaikat' and status = 'loaded'
)

select
    hub.cost_centre,
    register.hk_cost_centre,
    register.name,
    register.municipality_code,
    register.service_class,
    register.valid_from,
    register.valid_to,
    register.src_order as register_date
from register
inner join newest on register.src_order = newest.register_date
inner join {{ ref('hub_cost_centre') }} as hub on register.hk_cost_centre = hub.hk_cost_centre
