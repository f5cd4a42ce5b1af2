{{ sotevault.link(
    src_pk='lk_omaolo_person',
    src_fk=['hk_omaolo_transaction', 'hk_person'],
    src_ldts='load_datetime',
    src_source='record_source',
    source_model='stg_omaolo',
) }}
