{{ sotevault.link(
    src_pk='lk_visit_person',
    src_fk=['hk_visit', 'hk_person'],
    src_ldts='load_datetime',
    src_source='record_source',
    source_model=['stg_aptj_a', 'stg_aptj_b'],
) }}
