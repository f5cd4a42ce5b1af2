-- Delivered social services that count (indicators.md): the current version of a delivery,
-- not withdrawn, under a decision whose current version is granted. The municipality, client
-- and service class are those of the decision's current version, for every delivery under it.
-- A delivery whose decision has not been loaded counts nowhere until it arrives.
with deliveries as (
    select * from {{ ref('bv_social_delivery_current') }}
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
