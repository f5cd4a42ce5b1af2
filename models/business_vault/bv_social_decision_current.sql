-- The current version of every social-care decision (latest muokattu; ties to the later file
-- and line).
with current_rows as (
    {{ sotevault.sat_latest('sat_social_decision', 'hk_social_decision', 'hd_social_decision') }}
)

select
    hub.decision_id,
    current_rows.hk_social_decision,
    current_rows.hk_person,
    current_rows.municipality_code,
    current_rows.social_service,
    current_rows.service_class,
    current_rows.valid_from,
    current_rows.valid_to,
    current_rows.decision,
    outcomes.is_granted,
    current_rows.modified_at_local
from current_rows
inner join {{ ref('hub_social_decision') }} as hub on current_rows.hk_social_decision = hub.hk_social_decision
left join {{ ref('paatos_ratkaisu') }} as outcomes on current_rows.decision = outcomes.code
