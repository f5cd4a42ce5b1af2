{#-
  None of `columns` holds a NULL: one test, and one scan, for all the not-null columns of a
  model (declared on the model, `not_null_columns: {arguments: {columns: [...]}}`), instead of
  one dbt node per column. Fails with one row per column that holds NULLs, naming the column
  and how many rows. A dbt test node costs tens of milliseconds of dbt and Dagster bookkeeping
  whatever the data (docs/benchmarks.md): hundreds of single-column tests were most of a daily
  run's time.
-#}
{% test not_null_columns(model, columns) %}
with null_counts as (
    select
    {%- for column in columns %}
        count(*) - count({{ column }}) as {{ adapter.quote('n_' ~ loop.index) }}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ model }}
)
{%- for column in columns %}
select '{{ column }}' as column_name, {{ adapter.quote('n_' ~ loop.index) }} as null_rows
from null_counts where {{ adapter.quote('n_' ~ loop.index) }} > 0
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
{% endtest %}
