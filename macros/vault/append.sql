{#-
  `vault_append`: the raw vault's incremental load on DuckDB, one INSERT of the model's new rows
  into its table. dbt-duckdb's `incremental` materialization first writes the rows to a
  temporary table, reads both tables' columns (two DESCRIBEs) and then copies the rows over:
  per model and night, four statements where the load needs one (docs/benchmarks.md,
  "Statements per model"). Insert-only tables need none of its merge machinery.

  - No table yet, or `--full-refresh`: the table is (re)built from the model, in the model's
    transaction (DuckDB's DDL is transactional: a failed rebuild keeps the old table).
  - Otherwise the rows are inserted by name, after one check that the model's columns (names
    and types, in any order) are the table's: the `on_schema_change: fail` of dbt's incremental
    models, in one statement that binds the model's query without running it.
  - Hooks run where dbt's materializations run them: pre-hooks before, post-hooks after the
    insert, both in the model's transaction, then the COMMIT.

  Engines other than DuckDB keep dbt's `incremental` + `append` (dbt_project.yml): the models'
  SQL is the same, and `is_incremental()` is true for both materializations (macros/util/
  is_incremental.sql).
-#}
{%- materialization vault_append, adapter='duckdb' -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set rebuild = existing_relation is none or existing_relation.type != 'table' or should_full_refresh() -%}
  {%- if config.get('on_schema_change') not in (none, 'fail') -%}
    {{ exceptions.raise_compiler_error(this.identifier ~ ": vault_append only fails on a schema change (on_schema_change: fail), it does not " ~ config.get('on_schema_change')) }}
  {%- endif -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  -- `BEGIN` happens here:
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {%- if rebuild -%}
    {%- if existing_relation is not none -%}
      {%- do adapter.drop_relation(existing_relation) -%}
    {%- endif -%}
    {%- call statement('main') -%}
      {{ create_table_as(False, target_relation, compiled_code) }}
    {%- endcall -%}
  {%- else -%}
    {%- do run_query(sotevault.check_same_columns(target_relation, compiled_code)) -%}
    {%- call statement('main') -%}
      insert into {{ target_relation }} by name
      {{ compiled_code }}
    {%- endcall -%}
  {%- endif -%}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  -- `COMMIT` happens here
  {%- do adapter.commit() -%}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{%- endmaterialization -%}

{#- A query that fails, naming both column lists, unless `query`'s columns (name and type) are
    `relation`'s. dbt's own message for the same case says "out of sync". -#}
{%- macro check_same_columns(relation, query) -%}
    with table_columns as (
        select list_sort(list(column_name || ' ' || column_type)) as columns from (describe {{ relation }})
    ),
    model_columns as (
        select list_sort(list(column_name || ' ' || column_type)) as columns from (describe ({{ query }}))
    )
    select case when t.columns is distinct from m.columns then error(
        'The columns of {{ relation }} and of its model are out of sync (on_schema_change: fail): the table has '
        || array_to_string(t.columns, ', ') || '; the model has ' || array_to_string(m.columns, ', ')
        || '. Rebuild it with dbt build --full-refresh --select {{ relation.identifier }}') end
    from table_columns as t, model_columns as m
{%- endmacro -%}
