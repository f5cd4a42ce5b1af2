{#-
  The current version of every key of a satellite: the row with the highest source order,
  then the latest position. DuckDB reads it through `<sat>__current`, which the load keeps;
  engines without that table find it with a window.

  With `since` (a batch), only the keys that `touched_by` (satellites, default this one) got rows
  for after that batch: what an incremental current-state model recomputes
  (macros/business_vault/current_state.sql).
-#}
{%- macro sat_latest(model, src_pk, src_hashdiff, since=none, touched_by=none) -%}
    {{ return(adapter.dispatch('sat_latest', 'sotevault')(model, src_pk, src_hashdiff, since, touched_by or [model])) }}
{%- endmacro -%}

{%- macro default__sat_latest(model, src_pk, src_hashdiff, since, touched_by) -%}
    {%- set sat = ref(model) -%}
    select s.*
    from {{ sat }} as s
    inner join {{ sat.schema }}.{{ sat.identifier }}__current as c
        on s.{{ src_pk }} = c.{{ src_pk }}
        and s.src_order = c.src_order
        and s.src_position = c.src_position
        and s.{{ src_hashdiff }} = c.{{ src_hashdiff }}
    {%- if since is not none %}
    where {{ sotevault.touched_keys_filter('s.' ~ src_pk, src_pk, touched_by, since) }}
        and {{ sotevault.touched_keys_filter('c.' ~ src_pk, src_pk, touched_by, since) }}
    {%- endif %}
{%- endmacro -%}

{%- macro spark__sat_latest(model, src_pk, src_hashdiff, since, touched_by) -%}
    select * from {{ ref(model) }}
    {%- if since is not none %}
    where {{ sotevault.touched_keys_filter(src_pk, src_pk, touched_by, since) }}
    {%- endif %}
    qualify row_number() over (partition by {{ src_pk }} order by src_order desc, src_position desc) = 1
{%- endmacro -%}
