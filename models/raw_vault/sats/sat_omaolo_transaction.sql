{{ sotevault.sat(
    src_pk='hk_omaolo_transaction',
    src_hashdiff='hd_omaolo_transaction',
    src_payload=['hk_person'] + sotevault.omaolo_columns(),
    src_order='src_order',
    src_position='src_position',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model='stg_omaolo',
) }}
