{{ sotevault.link(
    src_pk='lk_delivery_decision',
    src_fk=['hk_social_delivery', 'hk_social_decision'],
    src_ldts='load_datetime',
    src_source='record_source',
    source_model='stg_sos_suoritteet',
) }}
