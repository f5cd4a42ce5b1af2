{{ sotevault.link(
    src_pk='lk_cost_centre_municipality',
    src_fk=['hk_cost_centre', 'hk_municipality'],
    src_ldts='load_datetime',
    src_source='record_source',
    source_model='stg_talous_kustannuspaikat',
) }}
