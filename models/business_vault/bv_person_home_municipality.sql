-- A person's home municipality as of a date: what each current visit and decision recorded,
-- in date order, valid until the next record says otherwise. (The indicators count a record
-- where its own current version says the client lived; this is for analysts.)
with recorded as (
    select hk_person, visit_day as recorded_on, municipality_code
    from {{ ref('bv_visit_current') }}
    where not is_deleted
    union all
    select hk_person, valid_from as recorded_on, municipality_code
    from {{ ref('bv_social_decision_current') }}
),

changes as (
    select
        hk_person,
        recorded_on,
        municipality_code,
        lag(municipality_code) over (partition by hk_person order by recorded_on, municipality_code) as previous_code
    from recorded
)

select
    hk_person,
    municipality_code,
    recorded_on as valid_from,
    lead(recorded_on) over (partition by hk_person order by recorded_on, municipality_code) as valid_until
from changes
where previous_code is null or previous_code <> municipality_code
