-- Share of electronic contacts, indicators.md § mart_e_contact_share.
-- Grain: month × municipality_code (seven + 000) × service_area (health, social, ALL).
with contacts as (
    select cast(date_trunc('month', visit_day) as date) as month, municipality_code,
           'health' as service_area, channel
    from {{ ref('bv_visit_contact') }}
    union all
    -- Omaolo: transactions sent to a professional's work queue, anonymous use included.
    select cast(date_trunc('month', completed_day) as date), municipality_code, 'health', 'electronic'
    from {{ ref('bv_omaolo_transaction') }}
    where to_work_queue
    union all
    select cast(date_trunc('month', delivered_on) as date), municipality_code, 'social', channel
    from {{ ref('bv_social_contact') }}
),

contacts_by_channel as (
    select month, municipality_code, service_area, channel, count(*) as contacts
    from contacts
    group by all
),

-- Every contact counts in its own cell and in the roll-ups (000, ALL).
counts as (
    select
        month,
        {{ sotevault.rolled_up('municipality_code', '000') }} as municipality_code,
        {{ sotevault.rolled_up('service_area', 'ALL') }} as service_area,
        sum(contacts) as contacts,
        sum(contacts) filter (where channel = 'in_person') as contacts_in_person,
        sum(contacts) filter (where channel = 'remote_realtime') as contacts_remote_realtime,
        sum(contacts) filter (where channel = 'electronic') as contacts_electronic
    from contacts_by_channel
    {{ sotevault.group_by_rollups(['month'], 'service_area') }}
),

grid as (
    select months.month, municipalities.municipality_code, areas.service_area
    from ({{ sotevault.month_spine('contacts') }}) as months
    cross join ({{ sotevault.municipalities_with_region() }}) as municipalities
    cross join (select unnest(['health', 'social', 'ALL']) as service_area) as areas
),

filled as (
    select
        grid.month,
        grid.municipality_code,
        grid.service_area,
        coalesce(counts.contacts, 0) as contacts,
        coalesce(counts.contacts_in_person, 0) as contacts_in_person,
        coalesce(counts.contacts_remote_realtime, 0) as contacts_remote_realtime,
        coalesce(counts.contacts_electronic, 0) as contacts_electronic
    from grid
    left join counts using (month, municipality_code, service_area)
)

select
    month,
    municipality_code,
    service_area,
    cast(contacts as bigint) as contacts,
    cast(contacts_in_person as bigint) as contacts_in_person,
    cast(contacts_remote_realtime as bigint) as contacts_remote_realtime,
    cast(contacts_electronic as bigint) as contacts_electronic,
    cast(contacts_remote_realtime + contacts_electronic as bigint) as e_contacts,
    {{ sotevault.share('contacts_remote_realtime + contacts_electronic', 'contacts') }} as e_contact_share
from filled
order by month, municipality_code, service_area
