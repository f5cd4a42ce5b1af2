{#- dbt's `is_incremental()`, also true for the raw vault's `vault_append` on DuckDB
    (macros/vault/append.sql): an existing table that this run adds to. The project's macro
    replaces dbt's for every model, so vault macros call it whatever the engine. -#}
{%- macro is_incremental() -%}
    {%- if execute and model.config.materialized == 'vault_append' -%}
        {%- set relation = adapter.get_relation(this.database, this.schema, this.table) -%}
        {{ return(relation is not none and relation.type == 'table' and not should_full_refresh()) }}
    {%- endif -%}
    {{ return(dbt.is_incremental()) }}
{%- endmacro -%}
