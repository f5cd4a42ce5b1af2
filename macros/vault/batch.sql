{#-
  Which ingestion batches a vault model loads. Every raw row carries `_batch_id`, a number
  that strictly increases with each ingestion batch (whatever the clock says). A model loads
  the batches after its own watermark up to the newest batch at the start of its run, and a
  post-hook (`advance_watermark`) records that newest batch only when the model succeeded. A
  model that failed, or brought nothing new, is not behind: every load is idempotent, so a
  batch seen twice adds nothing.
-#}

{%- macro watermark_table() -%}audit.vault_watermarks{%- endmacro -%}

{#- Run once per invocation (on-run-start): models running in parallel must not race to
    create it. -#}
{%- macro ensure_watermark_table() -%}
    create schema if not exists audit;
    create table if not exists {{ sotevault.watermark_table() }} (
        model varchar not null,
        load_batch bigint not null,
        rows_inserted bigint not null,
        invocation_id varchar not null,
        recorded_at timestamp not null
    );
{%- endmacro -%}

{#- The newest batch loaded into raw (0 before any). -#}
{%- macro batch_to() -%}
    {%- if not execute -%}{{ return(0) }}{%- endif -%}
    {%- set result = run_query("select coalesce(max(batch_id), 0) from audit.load_files") -%}
    {{ return(result.columns[0].values()[0] | int) }}
{%- endmacro -%}

{#- The last batch this model loaded: 0 when the model is built from scratch. The body is
    compiled before the pre-hook runs, so it must not read a watermark a full refresh is about
    to reset; the post-hooks (which see the table exist) read it after vault_pre_hook reset it. -#}
{%- macro watermark(model_name=none) -%}
    {%- if not execute or not is_incremental() -%}{{ return(0) }}{%- endif -%}
    {%- set name = model_name or this.identifier -%}
    {%- set result = run_query(
        "select coalesce(max(load_batch), 0) from " ~ sotevault.watermark_table() ~ " where model = '" ~ name ~ "'"
    ) -%}
    {{ return(result.columns[0].values()[0] | int) }}
{%- endmacro -%}

{#- The condition selecting this run's batches from a staging relation. -#}
{%- macro batch_filter(batch_column='_batch_id') -%}
    {{ batch_column }} > {{ sotevault.watermark() }} and {{ batch_column }} <= {{ sotevault.batch_to() }}
{%- endmacro -%}

{#- Pre-hook of every vault model: a build from scratch starts from batch 0 (and drops what
    was derived from the old table). A pre-hook sees whether this run is incremental; a
    post-hook would not, the table existing by then. -#}
{%- macro vault_pre_hook() -%}
    {%- if not is_incremental() %}
    delete from {{ sotevault.watermark_table() }} where model = '{{ this.identifier }}';
    drop table if exists {{ sotevault.current_relation() }};
    {%- endif %}
{%- endmacro -%}

{%- macro advance_watermark() -%}
    insert into {{ sotevault.watermark_table() }}
    select '{{ this.identifier }}', {{ sotevault.batch_to() }}, count(*), '{{ invocation_id }}', current_timestamp::timestamp
    from {{ this }} where {{ sotevault.batch_filter('load_batch') }};
{%- endmacro -%}
