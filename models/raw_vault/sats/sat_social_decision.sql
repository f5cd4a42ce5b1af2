{{ sotevault.sat(
    src_pk='hk_social_decision',
    src_hashdiff='hd_social_decision',
    src_payload=['hk_person'] + sotevault.decision_columns(),
    src_order='src_order',
    src_position='src_position',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model='stg_sos_paatokset',
) }}
