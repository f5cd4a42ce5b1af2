{{ sotevault.sat(
    src_pk='lk_cost_centre_service_class',
    src_hashdiff='hd_effectivity',
    src_payload=['valid_from', 'valid_to'],
    src_order='src_order',
    src_position='src_position',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model='stg_talous_kustannuspaikat',
) }}
