{{ sotevault.hub(
    src_pk='hk_ledger_line',
    src_nk=['ledger_month', 'voucher', 'line_number'],
    src_ldts='load_datetime',
    src_source='record_source',
    source_model=['stg_talous_kirjaukset'],
) }}
