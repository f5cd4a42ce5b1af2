{#-
  A hub: one row per business key, with the load time and record source of the first row that
  brought it, whatever the number of batches or sources (`source_model` may be a list).
  The first is the earliest batch (then load time, then record source): never by chance,
  and a rebuild from raw picks the same row as the incremental loads did.
-#}
{%- macro hub(src_pk, src_nk, src_ldts, src_source, source_model) -%}
    {{ return(adapter.dispatch('hub', 'sotevault')(src_pk, src_nk, src_ldts, src_source, source_model)) }}
{%- endmacro -%}

{%- macro default__hub(src_pk, src_nk, src_ldts, src_source, source_model) -%}
{%- set nks = [src_nk] if src_nk is string else src_nk -%}
{%- set models = [source_model] if source_model is string else source_model -%}
{%- set bk = sotevault.key_text_column(src_pk) -%}
{%- set batches = sotevault.vault_batches() -%}
with batch as (
    {%- for model in models %}
    select {{ src_pk }}, {{ nks | join(', ') }}, {{ src_ldts }} as load_datetime,
           {{ src_source }} as record_source, _batch_id as load_batch, {{ bk }}
    from {{ ref(model) }}
    where {{ sotevault.batch_range_filter(batches) }} and {{ src_pk }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{%- if is_incremental() %}
-- The keys the hub already holds, found by key and key text: the text's range in the batch
-- bounds the row groups read (the table is written in key-text order), so the look-up follows
-- the batch, not the history (docs/vault.md, "Key order").
known_keys as (
    {{ sotevault.known_keys(src_pk, 'batch') }}
),
{%- endif %}
-- Keys the hub already holds are dropped before the first row of each key is picked: a key's
-- rows are all known or all new, so the order does not change the result, and a batch that
-- re-sends every row (a full export) windows only its new keys.
new_keys as (
    select * from batch as b
    {%- if is_incremental() %}
    where not exists (select 1 from known_keys as k where k.{{ src_pk }} = b.{{ src_pk }})
    {%- endif %}
)
select * from new_keys
qualify row_number() over (
    partition by {{ src_pk }} order by load_batch, load_datetime, record_source) = 1
{{ sotevault.key_order(src_pk) }}
{%- endmacro -%}

{#- The keys of `batch_relation` (a CTE or table with the key and its text) that this model's
    table already holds, found by key and key text (`same_key`). -#}
{%- macro known_keys(src_pk, batch_relation) -%}
    select t.{{ src_pk }} from {{ this }} as t
    where exists (select 1 from {{ batch_relation }} as b where {{ sotevault.same_key(src_pk, 'b', 't') }})
{%- endmacro -%}
