{{ sotevault.nh_link(
    src_pk='lk_ledger_line_version',
    src_fk=['hk_ledger_line', 'hk_cost_centre'],
    src_payload=sotevault.ledger_columns(),
    src_ldts='load_datetime',
    src_source='record_source',
    source_model='stg_talous_kirjaukset',
) }}
