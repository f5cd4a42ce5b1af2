-- Encounters of patient record system B, typed, code-normalised to system A's codes (staff
-- role → ammatti, status → tila, urgent → K/E), times as local wall clock, keyed for the vault.
with source as (
    select * from {{ source('raw', 'aptj_b') }}
    where {{ sotevault.staging_filter() }}
),

roles as (
    select staff_role, code as professional from {{ ref('ammatti') }}
),

statuses as (
    select aptj_b_status, code as visit_status from {{ ref('kaynti_tila') }}
),

renamed as (
    select
        'APTJ_B' as visit_source,
        source.encounter_id as visit_id,
        source.person_pseudonym,
        source.patient_municipality as municipality_code,
        source.unit_oid,
        source.service_type,
        source.contact_mode as contact_type,
        case when source.urgent then 'K' else 'E' end as urgency,
        roles.professional,
        {{ sotevault.to_local('source.contact_at') }} as contacted_at_local,
        {{ sotevault.to_local('source.assessed_at') }} as assessed_at_local,
        {{ sotevault.to_local('source.start_at') }} as started_at_local,
        statuses.visit_status,
        source.icd10,
        source.icpc2,
        source.purchased_from,
        {{ sotevault.to_local('source.updated_at') }} as modified_at_local,
        cast(source.version as bigint) as src_order,
        {{ sotevault.source_position('source._file_name', 'source._line_number') }} as src_position,
        'aptj_b' as record_source,
        source._loaded_at as load_datetime,
        source._batch_id
    from source
    left join roles on source.staff_role = roles.staff_role
    left join statuses on source.status = statuses.aptj_b_status
)

{{ sotevault.stage_visits('renamed') }}
