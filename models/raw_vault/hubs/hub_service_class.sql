{{ sotevault.hub(
    src_pk='hk_service_class',
    src_nk='service_class',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model=['stg_aptj_a', 'stg_aptj_b', 'stg_sos_paatokset', 'stg_talous_kustannuspaikat'],
) }}
