-- Delivered social services; a delivery re-sent in a later file replaces its earlier row, so
-- the source's order is the date of the file.
with source as (
    select * from {{ source('raw', 'sos_suoritteet') }}
    where {{ sotevault.staging_filter() }}
),

channels as (
    select code, channel from {{ ref('suorite_kanava') }}
),

renamed as (
    select
        source.suorite_id as delivery_id,
        source.paatos_id as decision_id,
        source.pvm as delivered_on,
        source.maara as amount,
        source.yksikko as amount_unit,
        source.kanava as channel_code,
        channels.channel,
        source.poistettu as withdrawn,
        source._file_date as src_order,
        {{ sotevault.source_position('source._file_name', 'source._line_number') }} as src_position,
        'sos_suoritteet' as record_source,
        source._loaded_at as load_datetime,
        source._batch_id
    from source
    left join channels on source.kanava = channels.code
)

select
    {{ sotevault.hash_key('hk_social_delivery', 'delivery_id') }},
    {{ sotevault.hash_key('hk_social_decision', 'decision_id') }},
    {{ sotevault.hash_key('lk_delivery_decision', ['delivery_id', 'decision_id']) }},
    {{ sotevault.hash(sotevault.delivery_columns() + ['decision_id'], is_hashdiff=true) }} as hd_social_delivery,
    *
from renamed
