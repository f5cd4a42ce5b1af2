{{ sotevault.hub(
    src_pk='hk_visit',
    src_nk=['visit_source', 'visit_id'],
    src_ldts='load_datetime',
    src_source='record_source',
    source_model=['stg_aptj_a', 'stg_aptj_b'],
) }}
