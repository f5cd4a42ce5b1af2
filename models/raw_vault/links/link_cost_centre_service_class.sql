{{ sotevault.link(
    src_pk='lk_cost_centre_service_class',
    src_fk=['hk_cost_centre', 'hk_service_class'],
    src_ldts='load_datetime',
    src_source='record_source',
    source_model='stg_talous_kustannuspaikat',
) }}
