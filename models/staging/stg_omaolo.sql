-- Omaolo e-service transactions; anonymous use has no person.
with source as (
    select * from {{ source('raw', 'omaolo') }}
    where {{ sotevault.staging_filter() }}
),

renamed as (
    select
        asiointi_id as transaction_id,
        person_pseudonym,
        kunta as municipality_code,
        palvelu as eservice,
        {{ sotevault.to_local('aloitettu') }} as started_at_local,
        {{ sotevault.to_local('valmistunut') }} as completed_at_local,
        tyojonolle as to_work_queue,
        _file_date as src_order,
        {{ sotevault.source_position() }} as src_position,
        'omaolo' as record_source,
        _loaded_at as load_datetime,
        _batch_id
    from source
)

select
    {{ sotevault.hash_key('hk_omaolo_transaction', 'transaction_id') }},
    {{ sotevault.hash_key('hk_person', 'person_pseudonym') }},
    {{ sotevault.hash_key('hk_municipality', 'municipality_code') }},
    case when person_pseudonym is not null
        then {{ sotevault.hash(['transaction_id', 'person_pseudonym']) }} end as lk_omaolo_person,
    case when person_pseudonym is not null
        then {{ sotevault.hash_input(['transaction_id', 'person_pseudonym']) }} end as bk_omaolo_person,
    {{ sotevault.hash_key('lk_omaolo_municipality', ['transaction_id', 'municipality_code']) }},
    {{ sotevault.hash(sotevault.omaolo_columns() + ['person_pseudonym'], is_hashdiff=true) }} as hd_omaolo_transaction,
    *
from renamed
