{{ sotevault.hub(
    src_pk='hk_omaolo_transaction',
    src_nk='transaction_id',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model=['stg_omaolo'],
) }}
