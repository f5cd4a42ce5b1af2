-- The current version of every visit of both patient record systems (highest version in
-- aptj_b, latest muokattu in aptj_a; ties to the later file and line), one row per visit.
-- Kept incrementally: a run recomputes the visits its batches touched
-- (macros/business_vault/current_state.sql).
{%- set systems = sotevault.visit_record_systems() %}
{%- set sats = sotevault.visit_satellites() %}
{{ config(**sotevault.current_state_config('hk_visit', [['hk_visit', sats]])) }}
{%- set state = sotevault.current_state_range(sats) %}
{{ sotevault.current_state_marker(state) }}

with
{%- for system in systems %}
details_{{ system }} as (
    {{ sotevault.sat_latest('sat_visit_details__' ~ system, 'hk_visit', 'hd_visit', state.since, sats) }}
),
status_{{ system }} as (
    {{ sotevault.sat_latest('sat_visit_status__' ~ system, 'hk_visit', 'hd_visit', state.since, sats) }}
),
{%- endfor %}

visits as (
    {%- for system in systems %}
    select
        d.hk_visit,
        d.record_source,
        d.hk_person,
        d.hk_unit,
        d.hk_service_class,
        d.municipality_code,
        d.unit_oid,
        d.service_type,
        d.contact_type,
        d.urgency,
        d.professional,
        d.contacted_at_local,
        d.assessed_at_local,
        d.started_at_local,
        s.visit_status,
        d.icd10,
        d.icpc2,
        d.purchased_from,
        d.modified_at_local,
        cast(d.src_order as {{ dbt.type_string() }}) as current_version
    from details_{{ system }} as d
    inner join status_{{ system }} as s
        on d.hk_visit = s.hk_visit and d.src_order = s.src_order and d.src_position = s.src_position
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    hub.visit_source,
    hub.visit_id,
    visits.*,
    cast(visits.started_at_local as date) as visit_day,
    cast(visits.assessed_at_local as date) as assessment_day,
    statuses.is_realised,
    statuses.is_deleted,
    contact_types.channel,
    service_types.service_class
from visits
inner join {{ ref('hub_visit') }} as hub on visits.hk_visit = hub.hk_visit
left join {{ ref('kaynti_tila') }} as statuses on visits.visit_status = statuses.code
left join {{ ref('yhteystapa') }} as contact_types on visits.contact_type = contact_types.code
left join {{ ref('palvelumuoto') }} as service_types on visits.service_type = service_types.code
