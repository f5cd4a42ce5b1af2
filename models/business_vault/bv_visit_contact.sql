-- Realised client contacts (indicators.md): visits of either record system whose current
-- version is realised (T / completed) and whose contact type is a client contact. A deleted,
-- cancelled or no-show current version is not a contact; bought visits count like own ones.
-- Kept incrementally: a run recomputes the visits its batches touched; a recomputed visit that
-- is no longer a contact loses its row (macros/business_vault/current_state.sql).
{%- set sats = sotevault.visit_satellites() %}
-- depends_on: {% for sat in sats %}{{ ref(sat) }} {% endfor %}
{%- set touched_by = [['hk_visit', sats]] %}
{{ config(**sotevault.current_state_config('hk_visit', touched_by, filtered=true)) }}
{%- set state = sotevault.current_state_range(sats) %}
{{ sotevault.current_state_marker(state) }}
with visits as (
    select * from {{ ref('bv_visit_current') }}
    where {{ sotevault.touched_rows_predicate(touched_by, state.since) }}
),

professions as (
    select code, professional_group from {{ ref('ammatti') }}
)

select
    visits.hk_visit,
    visits.visit_source,
    visits.hk_person,
    visits.municipality_code,
    visits.service_type,
    visits.service_class,
    visits.contact_type,
    visits.channel,
    visits.urgency,
    visits.professional,
    professions.professional_group,
    visits.visit_day,
    visits.assessment_day,
    visits.visit_day - visits.assessment_day as wait_days,
    visits.purchased_from is not null as is_bought
from visits
left join professions on visits.professional = professions.code
where visits.is_realised and visits.channel <> 'not_a_client_contact'
