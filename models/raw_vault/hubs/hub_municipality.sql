{{ sotevault.hub(
    src_pk='hk_municipality',
    src_nk='municipality_code',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model=['stg_aptj_a', 'stg_aptj_b', 'stg_omaolo', 'stg_sos_paatokset', 'stg_talous_kustannuspaikat', 'stg_vaesto'],
) }}
