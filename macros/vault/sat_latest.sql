{#-
  The current version of every key of a satellite: the row with the highest source order,
  then the latest position. DuckDB reads it through `<sat>__current`, which the load keeps;
  engines without that table find it with a window.
-#}
{%- macro sat_latest(model, src_pk, src_hashdiff) -%}
    {{ return(adapter.dispatch('sat_latest', 'sotevault')(model, src_pk, src_hashdiff)) }}
{%- endmacro -%}

{%- macro default__sat_latest(model, src_pk, src_hashdiff) -%}
    {%- set sat = ref(model) -%}
    select s.*
    from {{ sat }} as s
    inner join {{ sat.schema }}.{{ sat.identifier }}__current as c
        on s.{{ src_pk }} = c.{{ src_pk }}
        and s.src_order = c.src_order
        and s.src_position = c.src_position
        and s.{{ src_hashdiff }} = c.{{ src_hashdiff }}
{%- endmacro -%}

{%- macro spark__sat_latest(model, src_pk, src_hashdiff) -%}
    select * from {{ ref(model) }}
    qualify row_number() over (partition by {{ src_pk }} order by src_order desc, src_position desc) = 1
{%- endmacro -%}
