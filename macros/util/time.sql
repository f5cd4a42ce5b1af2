{#- Times. A day in every indicator is the Europe/Helsinki calendar day (sources.md). -#}

{#- An instant (timestamptz, UTC in the source) as local wall-clock time. -#}
{%- macro to_local(column) -%}
    {{ return(adapter.dispatch('to_local', 'sotevault')(column)) }}
{%- endmacro -%}

{%- macro default__to_local(column) -%}
    timezone('{{ var("sotevault")["local_timezone"] }}', {{ column }})
{%- endmacro -%}

{%- macro spark__to_local(column) -%}
    from_utc_timestamp({{ column }}, '{{ var("sotevault")["local_timezone"] }}')
{%- endmacro -%}

{#- Where each row sits in its source's delivery order: the later file, then the later line. -#}
{%- macro source_position(file_column='_file_name', line_column='_line_number') -%}
    {{ file_column }} || '#' || lpad(cast({{ line_column }} as {{ dbt.type_string() }}), 9, '0')
{%- endmacro -%}
