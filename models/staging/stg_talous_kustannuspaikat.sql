-- Cost-centre register files: each the whole register with its validity history. The source's
-- order is the register's date; the newest register is the one in force.
with source as (
    select * from {{ source('raw', 'talous_kustannuspaikat') }}
    where {{ sotevault.staging_filter() }}
),

renamed as (
    select
        kustannuspaikka as cost_centre,
        nimi as name,
        kunta as municipality_code,
        palveluluokka as service_class,
        voimassa_alkaen as valid_from,
        voimassa_asti as valid_to,
        _file_date as src_order,
        {{ sotevault.source_position() }} as src_position,
        'talous_kustannuspaikat' as record_source,
        _loaded_at as load_datetime,
        _batch_id
    from source
)

select
    {{ sotevault.hash_key('hk_cost_centre', 'cost_centre') }},
    {{ sotevault.hash_key('hk_municipality', 'municipality_code') }},
    {{ sotevault.hash_key('hk_service_class', 'service_class') }},
    {{ sotevault.hash_key('lk_cost_centre_service_class', ['cost_centre', 'service_class']) }},
    {{ sotevault.hash_key('lk_cost_centre_municipality', ['cost_centre', 'municipality_code']) }},
    {{ sotevault.hash(sotevault.register_columns(), is_hashdiff=true) }} as hd_cost_centre_register,
    {{ sotevault.hash(['valid_from', 'valid_to'], is_hashdiff=true) }} as hd_effectivity,
    *
from renamed
