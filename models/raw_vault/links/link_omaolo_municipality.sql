{{ sotevault.link(
    src_pk='lk_omaolo_municipality',
    src_fk=['hk_omaolo_transaction', 'hk_municipality'],
    src_ldts='load_datetime',
    src_source='record_source',
    source_model='stg_omaolo',
) }}
