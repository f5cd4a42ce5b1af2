-- Visits of patient record system A, typed and keyed once for the vault.
with source as (
    select * from {{ source('raw', 'aptj_a') }}
    where {{ sotevault.staging_filter() }}
),

renamed as (
    select
        'APTJ_A' as visit_source,
        kaynti_id as visit_id,
        person_pseudonym,
        kotikunta as municipality_code,
        toimipiste_oid as unit_oid,
        palvelumuoto as service_type,
        yhteystapa as contact_type,
        kiireellisyys as urgency,
        ammatti as professional,
        yhteydenotto_aika as contacted_at_local,
        hoidon_tarve_arvioitu_aika as assessed_at_local,
        kaynti_alku as started_at_local,
        tila as visit_status,
        icd10,
        icpc2,
        cast(null as {{ dbt.type_string() }}) as purchased_from,
        muokattu as modified_at_local,
        muokattu as src_order,
        {{ sotevault.source_position() }} as src_position,
        'aptj_a' as record_source,
        _loaded_at as load_datetime,
        _batch_id
    from source
)

{{ sotevault.stage_visits('renamed') }}
