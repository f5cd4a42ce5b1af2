{#-
  The public export profile (indicators.md § Parquet exports): a count of 1–4 persons or
  contacts is written as NULL with a `<column>_suppressed = true` flag, and a share whose
  denominator is under 5 is NULL. The DuckDB marts keep exact values.
-#}
{%- macro suppressed_count(column) -%}
    case when {{ column }} between 1 and 4 then null else {{ column }} end as {{ column }},
    coalesce({{ column }} between 1 and 4, false) as {{ column }}_suppressed
{%- endmacro -%}

{%- macro share_if_enough(column, denominator) -%}
    case when coalesce({{ denominator }}, 0) < 5 then null else {{ column }} end as {{ column }}
{%- endmacro -%}

{#- A figure computed from fewer than five persons or contacts (a median, a p90, euros per
    client or per service) would tell about the few: NULL, flagged. -#}
{%- macro figure_if_enough(column, denominator) -%}
    case when coalesce({{ denominator }}, 0) between 1 and 4 then null else {{ column }} end as {{ column }},
    coalesce({{ denominator }} between 1 and 4, false) as {{ column }}_suppressed
{%- endmacro -%}
