{{ sotevault.hub(
    src_pk='hk_cost_centre',
    src_nk='cost_centre',
    src_ldts='load_datetime',
    src_source='record_source',
    source_model=['stg_talous_kustannuspaikat', 'stg_talous_kirjaukset'],
) }}
