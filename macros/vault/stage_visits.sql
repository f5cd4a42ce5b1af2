{#- The keys and hashdiffs both patient record systems' staging models compute, once. -#}
{%- macro stage_visits(renamed) -%}
, classified as (
    select {{ renamed }}.*, service_types.service_class
    from {{ renamed }}
    left join {{ ref('palvelumuoto') }} as service_types on {{ renamed }}.service_type = service_types.code
)

select
    {{ sotevault.hash_key('hk_visit', ['visit_source', 'visit_id']) }},
    {{ sotevault.hash_key('hk_person', 'person_pseudonym') }},
    {{ sotevault.hash_key('hk_unit', 'unit_oid') }},
    {{ sotevault.hash_key('hk_municipality', 'municipality_code') }},
    {{ sotevault.hash_key('hk_service_class', 'service_class') }},
    {{ sotevault.hash_key('lk_visit_person', ['visit_source', 'visit_id', 'person_pseudonym']) }},
    {{ sotevault.hash_key('lk_visit_unit', ['visit_source', 'visit_id', 'unit_oid']) }},
    {{ sotevault.hash_key('lk_visit_service_class', ['visit_source', 'visit_id', 'service_class']) }},
    {#- One hashdiff for both visit satellites: they hold the same versions (a status satellite
        deduplicated on status alone would keep other rows than the details one, and the two
        could no longer be joined version by version). -#}
    {{ sotevault.hash(sotevault.visit_detail_columns() + ['person_pseudonym', 'visit_status'], is_hashdiff=true) }}
        as hd_visit,
    *
from classified
{%- endmacro -%}

{%- macro visit_detail_columns() -%}
    {{ return([
        'municipality_code', 'unit_oid', 'service_type', 'contact_type', 'urgency', 'professional',
        'contacted_at_local', 'assessed_at_local', 'started_at_local', 'icd10', 'icpc2',
        'purchased_from', 'modified_at_local',
    ]) }}
{%- endmacro -%}
