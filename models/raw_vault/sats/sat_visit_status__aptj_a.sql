{{ sotevault.sat(
    src_pk='hk_visit',
    src_hashdiff='hd_visit',
    src_payload=['visit_status'],
    src_order='src_order',
    src_position='src_position',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model='stg_aptj_a',
) }}
