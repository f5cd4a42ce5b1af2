{{ sotevault.link(
    src_pk='lk_decision_person',
    src_fk=['hk_social_decision', 'hk_person'],
    src_ldts='load_datetime',
    src_source='record_source',
    source_model='stg_sos_paatokset',
) }}
