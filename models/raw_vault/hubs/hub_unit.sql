{{ sotevault.hub(
    src_pk='hk_unit',
    src_nk='unit_oid',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model=['stg_aptj_a', 'stg_aptj_b'],
) }}
