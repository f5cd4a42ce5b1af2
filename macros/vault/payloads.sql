{#- Payload column lists shared by a staging model (its hashdiff) and its satellite. -#}

{%- macro omaolo_columns() -%}
    {{ return(['municipality_code', 'eservice', 'started_at_local', 'completed_at_local', 'to_work_queue']) }}
{%- endmacro -%}

{%- macro decision_columns() -%}
    {{ return(['municipality_code', 'social_service', 'service_class', 'valid_from', 'valid_to', 'decision',
               'modified_at_local']) }}
{%- endmacro -%}

{%- macro delivery_columns() -%}
    {{ return(['delivered_on', 'amount', 'amount_unit', 'channel_code', 'channel', 'withdrawn']) }}
{%- endmacro -%}

{%- macro register_columns() -%}
    {{ return(['name', 'municipality_code', 'service_class', 'valid_from', 'valid_to']) }}
{%- endmacro -%}

{%- macro population_columns() -%}
    {{ return(['year', 'sex', 'age_group', 'population']) }}
{%- endmacro -%}

{%- macro ledger_columns() -%}
    {{ return(['ledger_month', 'file_version', 'voucher', 'line_number', 'posted_on', 'cost_centre', 'account',
               'amount', 'description']) }}
{%- endmacro -%}
