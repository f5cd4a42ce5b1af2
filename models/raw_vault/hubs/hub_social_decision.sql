{{ sotevault.hub(
    src_pk='hk_social_decision',
    src_nk='decision_id',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model=['stg_sos_paatokset', 'stg_sos_suoritteet'],
) }}
