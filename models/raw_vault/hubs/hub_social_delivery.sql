{{ sotevault.hub(
    src_pk='hk_social_delivery',
    src_nk='delivery_id',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model=['stg_sos_suoritteet'],
) }}
