-- Delivered social services that count (indicators.md): the current version of a delivery,
-- not withdrawn, under a decision whose current version is granted. The municipality, client
-- and service class are those of the decision's current version, for every delivery under it.
-- A delivery whose decision has not been loaded counts nowhere until it arrives.
-- Kept incrementally: a run recomputes the deliveries its batches touched, and every delivery
-- under a decision they touched; a recomputed delivery that no longer counts loses its row
-- (macros/business_vault/current_state.sql).
-- depends_on: {{ ref('sat_social_delivery') }} {{ ref('sat_social_decision') }}
{%- set touched_by = [['hk_social_delivery', ['sat_social_delivery']], ['hk_social_decision', ['sat_social_decision']]] %}
{{ config(**sotevault.current_state_config('hk_social_delivery', touched_by, filtered=true)) }}
{%- set state = sotevault.current_state_range(['sat_social_delivery', 'sat_social_decision']) %}
{{ sotevault.current_state_marker(state) }}
with deliveries as (
    select * from {{ ref('bv_social_delivery_current') }}
    where {{ sotevault.touched_rows_predicate(touched_by, state.since) }}
),

decisions as (
    select * from {{ ref('bv_social_decision_current') }}
)

select
    deliveries.hk_social_delivery,
    deliveries.delivery_id,
    decisions.hk_social_decision,
    decisions.hk_person,
    decisions.municipality_code,
    decisions.social_service,
    decisions.service_class,
    deliveries.channel,
    deliveries.delivered_on,
    deliveries.amount,
    deliveries.amount_unit
from deliveries
inner join decisions on deliveries.hk_social_decision = decisions.hk_social_decision
where not deliveries.withdrawn and decisions.is_granted
