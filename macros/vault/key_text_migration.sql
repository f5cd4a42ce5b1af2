{#-
  Vault tables written before hubs, links and satellites kept their key text (`bk_…`, see
  macros/vault/hash.sql) are rebuilt from raw, once: the run that selects one drops it, and its
  model builds it from scratch (vault_pre_hook resets its watermark, data-test record and
  current state; its staging reaches back to batch 0). Raw keeps every batch and a rebuild
  keeps exactly the rows the incremental loads kept (docs/vault.md), so nothing is lost; the
  text cannot be filled in place for links and satellites, which do not hold their business
  keys. Runs on-run-start, before any model is compiled: the relation is dropped through the
  adapter, so the run sees it gone.
-#}
{%- macro rebuild_vault_without_key_text() -%}
    {{ return(adapter.dispatch('rebuild_vault_without_key_text', 'sotevault')()) }}
{%- endmacro -%}

{#- Spark vaults were built with their key text from the first: nothing to migrate. -#}
{%- macro spark__rebuild_vault_without_key_text() -%}{{ return('') }}{%- endmacro -%}

{%- macro default__rebuild_vault_without_key_text() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set nodes = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.fqn[1] == 'raw_vault' and node.unique_id in selected_resources -%}
        {%- if adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) is not none -%}
            {%- do nodes.append(node) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not nodes -%}{{ return('') }}{%- endif -%}
    {#- One query for all of them (a run's fixed cost): the tables without a bk_ column. -#}
    {%- set query -%}
        select table_catalog, table_schema, table_name from information_schema.columns
        where (table_catalog, table_schema, table_name) in (
            {%- for node in nodes %}('{{ node.database }}', '{{ node.schema }}', '{{ node.alias }}'){{ ', ' if not loop.last }}{% endfor -%})
        group by all
        having count(*) filter (where column_name like 'bk\_%' escape '\') = 0
    {%- endset -%}
    {%- for row in run_query(query).rows -%}
        {%- set relation = adapter.get_relation(database=row[0], schema=row[1], identifier=row[2]) -%}
        {%- do log(row[2] ~ ": written before vault tables kept their key text; rebuilding it from raw", info=true) -%}
        {%- do adapter.drop_relation(relation) -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro -%}
