{#-
  Which ingestion batches a model loads. Every raw row carries `_batch_id`, a number that
  strictly increases with each ingestion batch (whatever the clock says).

  Staging models are tables holding only the batches their vault models still need: from the
  lowest watermark among the vault models that read them, up to the newest batch in raw. Each
  raw row is typed and hashed once per run, not once per vault model that reads it (the view
  it used to be was evaluated by every hub, link and satellite: docs/benchmarks.md). What a
  staging table holds is recorded in `audit.staged_batches`.

  A vault model loads the batches after its own watermark up to what its staging tables hold,
  and a post-hook (`advance_watermark`) records that bound only when the model succeeded. A
  model that failed, or brought nothing new, is not behind: every load is idempotent, so a
  batch seen twice adds nothing. A vault model whose staging does not reach back to its
  watermark (its staging was rebuilt for other models) stops with an error instead of skipping
  batches.
-#}

{%- macro watermark_table() -%}audit.vault_watermarks{%- endmacro -%}
{%- macro staged_table() -%}audit.staged_batches{%- endmacro -%}

{#- The audit tables dbt's hooks write, with their columns. -#}
{%- macro audit_tables() -%}
    {{ return({
        sotevault.watermark_table(): ['model', 'load_batch', 'rows_inserted', 'invocation_id', 'recorded_at'],
        sotevault.staged_table(): ['model', 'batch_from', 'batch_to', 'invocation_id', 'recorded_at'],
        sotevault.business_vault_builds(): ['model', 'load_batch', 'fingerprint', 'invocation_id', 'recorded_at'],
        sotevault.tested_batches(): ['test', 'model', 'load_batch', 'fingerprint', 'invocation_id', 'recorded_at'],
    }) }}
{%- endmacro -%}

{#- The type of an audit table's column, by its name. -#}
{%- macro audit_column_type(column) -%}
    {%- if column in ('load_batch', 'rows_inserted', 'batch_from', 'batch_to') -%}bigint
    {%- elif column == 'recorded_at' -%}timestamp
    {%- else -%}{{ dbt.type_string() }}{%- endif -%}
{%- endmacro -%}

{#- One audit table's DDL; `not_null` where the engine's tables take the constraint. -#}
{%- macro audit_table_ddl(table, columns, not_null=true, suffix='') -%}
    create table if not exists {{ table }} (
        {%- for column in columns %}
        {{ column }} {{ sotevault.audit_column_type(column) }}{{ ' not null' if not_null }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) {{ suffix }}
{%- endmacro -%}

{#- Run once per invocation (on-run-start): models running in parallel must not race to
    create them. -#}
{%- macro ensure_watermark_table() -%}
    {{ return(adapter.dispatch('ensure_watermark_table', 'sotevault')()) }}
{%- endmacro -%}

{%- macro default__ensure_watermark_table() -%}
    create schema if not exists audit;
    {%- for table, columns in sotevault.audit_tables().items() %}
    {{ sotevault.audit_table_ddl(table, columns) }};
    {%- endfor %}
{%- endmacro -%}

{#- Spark runs one statement per call: each is run here and the hook itself is empty. Parquet
    tables (the vault's format there) take no NOT NULL. -#}
{%- macro spark__ensure_watermark_table() -%}
    {%- if execute -%}
    {%- do run_query('create schema if not exists audit') -%}
    {%- for table, columns in sotevault.audit_tables().items() -%}
        {%- do run_query(sotevault.audit_table_ddl(table, columns, not_null=false, suffix='using parquet')) -%}
    {%- endfor -%}
    {%- endif -%}
{%- endmacro -%}

{#- The staging models a vault model reads (its parents in the graph). -#}
{%- macro staging_parents() -%}
    {%- set names = [] -%}
    {%- for node_id in model.depends_on.nodes -%}
        {%- if node_id.split('.')[-1].startswith('stg_') -%}{%- do names.append(node_id.split('.')[-1]) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro -%}

{#- This vault model's batch range, in one query: (watermark, bound], bound = the least batch its
    staging tables reach. Fails when a staging table does not reach back to the watermark. The
    body is compiled before the pre-hook runs, so a build from scratch reads watermark 0 rather
    than the one the pre-hook is about to delete; post-hooks read the range back from the
    compiled body (`loaded_batches`). A staging model runs once in an invocation, so each parent
    has one record of it. -#}
{%- macro vault_batches() -%}
    {%- if not execute -%}{{ return([0, 0]) }}{%- endif -%}
    {#- Only a build or run loads (and its on-run-start hook made audit.staged_batches):
        `dbt compile`, `dbt show` and `dbt docs generate` compile the models against no staging
        (it lives in memory for the invocation that builds it). -#}
    {%- if flags.WHICH not in ('build', 'run', 'retry') -%}{{ return([0, 0]) }}{%- endif -%}
    {%- set incremental = is_incremental() -%}
    {%- set parents = sotevault.staging_parents() -%}
    {%- set query -%}
        select
            {% if incremental -%}
            (select coalesce(max(load_batch), 0) from {{ sotevault.watermark_table() }}
             where model = '{{ this.identifier }}')
            {%- else %}0{% endif %} as watermark,
            coalesce(min(batch_to), 0) as bound,
            coalesce(max(batch_from), 0) as staged_from,
            count(*) as staged
        from {{ sotevault.staged_table() }}
        where invocation_id = '{{ invocation_id }}' and model in ('{{ parents | join("', '") }}')
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {%- set watermark, bound, staged_from = row[0] | int, row[1] | int, row[2] | int -%}
    {%- if row[3] | int < parents | length -%}
        {{ exceptions.raise_compiler_error(this.identifier ~ ": its staging (" ~ parents | join(', ') ~ ") has not been built by this dbt invocation (staging tables live in memory for one invocation); build it with its consumers: dbt build --select " ~ parents | join('+ ') ~ "+") }}
    {%- endif -%}
    {%- if staged_from > watermark and bound > watermark -%}
        {{ exceptions.raise_compiler_error(this.identifier ~ " needs the batches after " ~ watermark ~ " but its staging holds only those after " ~ staged_from ~ "; rebuild staging with its consumers: dbt build --select " ~ parents | join('+ ') ~ "+") }}
    {%- endif -%}
    {{ return([watermark, [bound, watermark] | max]) }}
{%- endmacro -%}

{#- The condition selecting the batches (watermark, bound] of a relation. -#}
{%- macro batch_range_filter(batches, batch_column='_batch_id') -%}
    {{ batch_column }} > {{ batches[0] }} and {{ batch_column }} <= {{ batches[1] }}
{%- endmacro -%}

{#- Pre-hook of every vault model: a build from scratch starts from batch 0 (and drops what
    was derived from the old table: its current state, and its data tests' record of the rows
    they passed, macros/tests/tested_rows.sql). A pre-hook sees whether this run is incremental; a
    post-hook would not, the table existing by then. -#}
{%- macro vault_pre_hook() -%}
    {{ return(adapter.dispatch('vault_pre_hook', 'sotevault')()) }}
{%- endmacro -%}

{%- macro default__vault_pre_hook() -%}
    {%- if not is_incremental() %}
    delete from {{ sotevault.watermark_table() }} where model = '{{ this.identifier }}';
    delete from {{ sotevault.tested_batches() }} where model = '{{ this.identifier }}';
    drop table if exists {{ sotevault.current_relation() }};
    {%- endif %}
{%- endmacro -%}

{#- Spark (Parquet tables, no DELETE) keeps a rebuilt model's old watermarks: they are never
    above the new one (a build from scratch loads through the newest staged batch, and batch ids
    only grow), and the model's watermark is the highest. It keeps no current-state table and no
    record of tested rows (its data tests read every row). -#}
{%- macro spark__vault_pre_hook() -%}{%- endmacro -%}

{#- The batch range this model's compiled SQL loads, read back from its filter (as
    `record_staged` does): what hooks record is then what the body loaded, and the range is not
    queried a second time (a query per model; a daily increment's vault SQL is ~1.5 s for 29
    models). Every filter in the body has the same bounds. -#}
{%- macro loaded_batches() -%}
    {%- if not execute -%}{{ return([0, 0]) }}{%- endif -%}
    {%- set found = modules.re.findall('_batch_id > (\\d+) and _batch_id <= (\\d+)', model.compiled_code or '') -%}
    {%- if found | unique | list | length != 1 -%}
        {{ exceptions.raise_compiler_error(this.identifier ~ ": a vault model must filter its staging with sotevault.batch_range_filter(sotevault.vault_batches()), one range; found " ~ found | unique | list) }}
    {%- endif -%}
    {{ return([found[0][0] | int, found[0][1] | int]) }}
{%- endmacro -%}

{#- Post-hook of hubs and links (satellites: sat_post_hook). -#}
{%- macro advance_watermark(batches=none) -%}
    {%- set batches = batches or sotevault.loaded_batches() -%}
    insert into {{ sotevault.watermark_table() }}
    select '{{ this.identifier }}', {{ batches[1] }}, count(*), '{{ invocation_id }}', current_timestamp::timestamp
    from {{ this }} where {{ sotevault.batch_range_filter(batches, 'load_batch') }};
{%- endmacro -%}

{#- Staging: the raw batches this run's vault models still need, in one query: from the lowest
    watermark among the vault models that read this staging model (0 on a full refresh, or when
    one of them has none or does not exist yet) to the newest batch loaded into raw (0 before
    any). -#}
{%- macro staging_batches() -%}
    {%- if not execute -%}{{ return([0, 0]) }}{%- endif -%}
    {%- set consumers = [] -%}
    {%- set from_start = [flags.FULL_REFRESH] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and model.unique_id in node.depends_on.nodes and node.fqn[1] == 'raw_vault' -%}
            {%- if adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) is none -%}
                {%- do from_start.append(true) -%}
            {%- endif -%}
            {%- do consumers.append(node.alias) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set batch_from = '0' if (from_start | select | list) or not consumers else sotevault.least_watermark(consumers) -%}
    {%- set row = run_query("select " ~ batch_from ~ ", coalesce(max(batch_id), 0) from audit.load_files").rows[0] -%}
    {{ return([row[0] | int, row[1] | int]) }}
{%- endmacro -%}

{#- A scalar subquery: the least watermark among vault models `models`, 0 when one of them has
    none (it loads from the start). What staging must reach back to, and what a current-state
    model's satellites have all loaded through. -#}
{%- macro least_watermark(models) -%}
    (select case when count(*) = {{ models | unique | list | length }} then min(load_batch) else 0 end
     from (select max(load_batch) as load_batch from {{ sotevault.watermark_table() }}
           where model in ('{{ models | join("', '") }}') group by model))
{%- endmacro -%}

{#- The filter a staging model puts on its raw source; the range it stages is recorded by
    `record_staged` (post-hook of every staging model). -#}
{%- macro staging_filter() -%}
    {{ sotevault.batch_range_filter(sotevault.staging_batches()) }}
{%- endmacro -%}

{#- Post-hook of every staging model: what it holds, read back from the compiled filter's
    bounds so that the record always matches the table. Staging declares it twice, outside and
    inside the model's transaction, and it is written by one of the two. -#}
{%- macro record_staged(in_transaction) -%}
    {%- if execute and in_transaction == sotevault.staging_recorded_in_transaction() -%}
    {%- set match = modules.re.search('_batch_id > (\\d+) and _batch_id <= (\\d+)', model.compiled_code or '') -%}
    {%- if match is none -%}
        {{ exceptions.raise_compiler_error(this.identifier ~ ": a staging model must filter its source with sotevault.staging_filter()") }}
    {%- endif -%}
    insert into {{ sotevault.staged_table() }}
    values ('{{ this.identifier }}', {{ match.group(1) }}, {{ match.group(2) }}, '{{ invocation_id }}', current_timestamp::timestamp);
    {%- endif -%}
{%- endmacro -%}


{#- DuckDB: outside the model's transaction, its own (a transaction writes one database, and
    staging lives in the in-memory `stage`). dbt-spark runs only the in-transaction hooks (Spark
    has no transactions). -#}
{%- macro staging_recorded_in_transaction() -%}
    {{ return(adapter.dispatch('staging_recorded_in_transaction', 'sotevault')()) }}
{%- endmacro -%}

{%- macro default__staging_recorded_in_transaction() -%}{{ return(false) }}{%- endmacro -%}
{%- macro spark__staging_recorded_in_transaction() -%}{{ return(true) }}{%- endmacro -%}
