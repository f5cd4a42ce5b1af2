-- The current version of every delivered service: the row of the latest file (then line).
-- Kept incrementally: a run recomputes the deliveries its batches touched
-- (macros/business_vault/current_state.sql).
{{ config(**sotevault.current_state_config('hk_social_delivery', [['hk_social_delivery', ['sat_social_delivery']]])) }}
{%- set state = sotevault.current_state_range(['sat_social_delivery']) %}
{{ sotevault.current_state_marker(state) }}
with current_rows as (
    {{ sotevault.sat_latest('sat_social_delivery', 'hk_social_delivery', 'hd_social_delivery', since=state.since) }}
)

select
    hub.delivery_id,
    current_rows.hk_social_delivery,
    current_rows.hk_social_decision,
    current_rows.delivered_on,
    current_rows.amount,
    current_rows.amount_unit,
    current_rows.channel_code,
    current_rows.channel,
    current_rows.withdrawn,
    current_rows.src_order as file_date
from current_rows
inner join {{ ref('hub_social_delivery') }} as hub on current_rows.hk_social_delivery = hub.hk_social_delivery
