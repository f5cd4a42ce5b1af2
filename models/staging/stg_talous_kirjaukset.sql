-- General-ledger lines. A line is identified within its ledger month; each (month, file
-- version) is one delivery of the whole month, and the highest version of a month wins.
with source as (
    select * from {{ source('raw', 'talous_kirjaukset') }}
    where {{ sotevault.staging_filter() }}
),

renamed as (
    select
        _file_date as ledger_month,
        _file_version as file_version,
        tosite as voucher,
        rivi as line_number,
        kirjauspvm as posted_on,
        kustannuspaikka as cost_centre,
        cast(tili as integer) as account,
        summa as amount,
        selite as description,
        'talous_kirjaukset' as record_source,
        _loaded_at as load_datetime,
        _batch_id
    from source
)

select
    {{ sotevault.hash_key('hk_ledger_line', ['ledger_month', 'voucher', 'line_number']) }},
    {{ sotevault.hash_key('hk_cost_centre', 'cost_centre') }},
    {{ sotevault.hash_key('lk_ledger_line_version', ['ledger_month', 'file_version', 'voucher', 'line_number']) }},
    *
from renamed
