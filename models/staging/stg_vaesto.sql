-- Population on 31 December by municipality, sex and age group (Statistics Finland).
with source as (
    select * from {{ source('raw', 'vaesto') }}
    where {{ sotevault.staging_filter() }}
),

renamed as (
    select
        kunta as municipality_code,
        vuosi as year,
        sukupuoli as sex,
        ikaryhma as age_group,
        vaesto as population,
        _file_date as src_order,
        {{ sotevault.source_position() }} as src_position,
        'vaesto' as record_source,
        _loaded_at as load_datetime,
        _batch_id
    from source
)

select
    {{ sotevault.hash_key('hk_municipality', 'municipality_code') }},
    {{ sotevault.hash(sotevault.population_columns(), is_hashdiff=true) }} as hd_population,
    *
from renamed
