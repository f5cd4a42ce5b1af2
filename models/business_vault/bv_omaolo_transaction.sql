-- Omaolo transactions (each appears once; should one be re-sent, the latest file wins).
-- Kept incrementally: a run recomputes the transactions its batches touched
-- (macros/business_vault/current_state.sql).
{{ config(**sotevault.current_state_config('hk_omaolo_transaction', [['hk_omaolo_transaction', ['sat_omaolo_transaction']]])) }}
{%- set state = sotevault.current_state_range(['sat_omaolo_transaction']) %}
{{ sotevault.current_state_marker(state) }}
with current_rows as (
    {{ sotevault.sat_latest('sat_omaolo_transaction', 'hk_omaolo_transaction', 'hd_omaolo_transaction', since=state.since) }}
)

select
    hub.transaction_id,
    current_rows.hk_omaolo_transaction,
    current_rows.hk_person,
    current_rows.hk_person is null as is_anonymous,
    current_rows.municipality_code,
    current_rows.eservice,
    current_rows.started_at_local,
    current_rows.completed_at_local,
    cast(current_rows.completed_at_local as date) as completed_day,
    current_rows.to_work_queue
from current_rows
inner join {{ ref('hub_omaolo_transaction') }} as hub
    on current_rows.hk_omaolo_transaction = hub.hk_omaolo_transaction
