{{ sotevault.sat(
    src_pk='hk_cost_centre',
    src_hashdiff='hd_cost_centre_register',
    src_payload=sotevault.register_columns(),
    src_order='src_order',
    src_position='src_position',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model='stg_talous_kustannuspaikat',
) }}
