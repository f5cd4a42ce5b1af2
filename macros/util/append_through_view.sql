{#-
  An incremental `append` on DuckDB inserts its SELECT without copying it into a temporary
  table first. dbt-duckdb's incremental materialization builds the new rows as a temporary
  relation, checks the schema against the target (`on_schema_change: fail`), then inserts them
  from it: with `append` that relation is read once, by the INSERT, so it is a temporary view
  here. The rows are computed once, by the INSERT, and written once, to the target (a table
  wrote them to memory first and read them back: one more statement per vault model a night).
  The schema check reads the view's columns as it read the table's (DESCRIBE binds the view, it
  runs nothing). Every other temporary relation (delete+insert, which reads it twice; full
  refreshes; Python models) stays dbt-duckdb's table.
  (dbt dispatches `create_table_as` from the root project first.)
-#}
{%- macro duckdb__create_table_as(temporary, relation, compiled_code, language='sql', partitioned_by=none, sorted_by=none) -%}
    {%- if temporary and language == 'sql' and config.get('incremental_strategy') == 'append'
          and not config.get('contract').enforced and not config.get('sql_header') -%}
    create or replace temporary view {{ relation.include(database=false, schema=false) }} as (
        {{ compiled_code }}
    )
    {%- else -%}
    {{ dbt.duckdb__create_table_as(temporary, relation, compiled_code, language, partitioned_by, sorted_by) }}
    {%- endif -%}
{%- endmacro -%}
