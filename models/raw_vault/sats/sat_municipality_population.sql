{{ sotevault.sat(
    src_pk='hk_municipality',
    src_hashdiff='hd_population',
    src_payload=sotevault.population_columns(),
    src_order='src_order',
    src_position='src_position',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model='stg_vaesto',
) }}
