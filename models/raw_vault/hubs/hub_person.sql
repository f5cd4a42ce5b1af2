{{ sotevault.hub(
    src_pk='hk_person',
    src_nk='person_pseudonym',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model=['stg_aptj_a', 'stg_aptj_b', 'stg_omaolo', 'stg_sos_paatokset'],
) }}
