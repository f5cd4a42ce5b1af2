-- Social-care service decisions; the current version is the latest `muokattu`.
with source as (
    select * from {{ source('raw', 'sos_paatokset') }}
    where {{ sotevault.staging_filter() }}
),

services as (
    select code, service_class from {{ ref('sosiaalipalvelu') }}
),

renamed as (
    select
        source.paatos_id as decision_id,
        source.person_pseudonym,
        source.kunta as municipality_code,
        source.palvelu as social_service,
        services.service_class,
        source.alkupvm as valid_from,
        source.loppupvm as valid_to,
        source.ratkaisu as decision,
        source.muokattu as modified_at_local,
        source.muokattu as src_order,
        {{ sotevault.source_position('source._file_name', 'source._line_number') }} as src_position,
        'sos_paatokset' as record_source,
        source._loaded_at as load_datetime,
        source._batch_id
    from source
    left join services on source.palvelu = services.code
)

select
    {{ sotevault.hash_key('hk_social_decision', 'decision_id') }},
    {{ sotevault.hash_key('hk_person', 'person_pseudonym') }},
    {{ sotevault.hash_key('hk_municipality', 'municipality_code') }},
    {{ sotevault.hash_key('hk_service_class', 'service_class') }},
    {{ sotevault.hash_key('lk_decision_person', ['decision_id', 'person_pseudonym']) }},
    {{ sotevault.hash(sotevault.decision_columns() + ['person_pseudonym'], is_hashdiff=true) }} as hd_social_decision,
    *
from renamed
