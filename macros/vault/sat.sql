{#-
  A satellite, insert-only, keeping every distinct version of a key in the source's own order.

  `src_order` is the source's order (aptj_b version, muokattu, the delivery file's date) and
  `src_position` breaks its ties (file name, line: the later file, then the later line wins).
  A row lands unless the satellite already holds the same key, order and hashdiff: so several
  changes of a key in one batch all land, the same version twice lands once, A → B → A keeps
  three rows, and a late older version lands in its place and never becomes current (current =
  highest order, then position). No row is dropped for being equal to its neighbour: loaded
  v1 = A and v3 = A, then a late v2 = B, the current version stays v3 = A.

  Cost follows the batch, not the history: the batch is compared with `<sat>__current` (the
  latest order and hashdiff of each key, maintained by `sat_maintain_current` in the same
  transaction), and only rows that are not newer than their key's current version are checked
  against the satellite itself. `<sat>__current` is written in key-text order (`bk_…`, the
  parent's normalised business key) and read by key and key text, so the look-up reads the row
  groups of the batch's key range (docs/vault.md, "Key order"). The satellite itself is not
  sorted (on a backfill, the largest sort there would be): it is read only for late rows.
-#}
{%- macro sat(src_pk, src_hashdiff, src_payload, src_order, src_position, src_ldts, src_source, source_model) -%}
    {{ return(adapter.dispatch('sat', 'sotevault')(
        src_pk, src_hashdiff, src_payload, src_order, src_position, src_ldts, src_source, source_model)) }}
{%- endmacro -%}

{%- macro sat_columns(src_pk, src_hashdiff, src_payload) -%}
    {{ src_pk }}, {{ src_hashdiff }}, {{ src_payload | join(', ') }}, src_order, src_position,
    load_datetime, record_source, load_batch, {{ sotevault.key_text_column(src_pk) }}
{%- endmacro -%}

{%- macro default__sat(src_pk, src_hashdiff, src_payload, src_order, src_position, src_ldts, src_source, source_model) -%}
{%- set bk = sotevault.key_text_column(src_pk) -%}
{%- set batches = sotevault.vault_batches() -%}
{{ sotevault.sat_marker(src_pk, src_hashdiff) }}
with batch as (
    select {{ src_pk }}, {{ src_hashdiff }}, {{ src_payload | join(', ') }},
           {{ src_order }} as src_order, {{ src_position }} as src_position,
           {{ src_ldts }} as load_datetime, {{ src_source }} as record_source, _batch_id as load_batch,
           {{ bk }}
    from {{ ref(source_model) }}
    where {{ sotevault.batch_range_filter(batches) }} and {{ src_pk }} is not null
    -- The same version twice lands once: the occurrence loaded first, and within one batch its
    -- last line (so a flip-flop X, Y, X inside one file leaves X current). A rebuild from raw
    -- in one pass therefore keeps exactly the rows the incremental loads kept.
    qualify row_number() over (
        partition by {{ src_pk }}, src_order, {{ src_hashdiff }} order by load_batch, src_position desc) = 1
),
{%- if is_incremental() %}
current_rows as (
    {{ sotevault.sat_current_rows(src_pk, 'batch') }}
),
classified as (
    select b.*, c.src_order as current_order, c.{{ src_hashdiff }} as current_hashdiff
    from batch as b
    left join current_rows as c on b.{{ src_pk }} = c.{{ src_pk }}
),
newer as (
    select * from classified where current_order is null or src_order > current_order
),
not_newer as (
    select * from classified
    where src_order < current_order or (src_order = current_order and {{ src_hashdiff }} <> current_hashdiff)
),
-- The versions of those keys the satellite holds (a semi-join: nothing is read when every row
-- is newer, the usual night).
held_versions as (
    select s.{{ src_pk }}, s.src_order, s.{{ src_hashdiff }} from {{ this }} as s
    where exists (select 1 from not_newer as n where {{ sotevault.same_key(src_pk, 'n', 's') }})
),
late_new as (
    select n.* from not_newer as n
    where not exists (
        select 1 from held_versions as s
        where s.{{ src_pk }} = n.{{ src_pk }} and s.src_order = n.src_order
          and s.{{ src_hashdiff }} = n.{{ src_hashdiff }})
),
new_rows as (
    select * from newer
    union all
    select * from late_new
)
{%- else %}
new_rows as (
    select * from batch
)
{%- endif %}
select {{ sotevault.sat_columns(src_pk, src_hashdiff, src_payload) }}
from new_rows
{%- endmacro -%}


{#- The latest version (order, position, hashdiff) of each key the batch touches. -#}
{%- macro sat_current_rows(src_pk, batch_relation) -%}
    {{ return(adapter.dispatch('sat_current_rows', 'sotevault')(src_pk, batch_relation)) }}
{%- endmacro -%}

{#- By key and key text, so that the batch's range of the text bounds the row groups read
    (`<sat>__current` is kept in key-text order). -#}
{%- macro default__sat_current_rows(src_pk, batch_relation) -%}
    select c.* from {{ sotevault.current_relation() }} as c
    where exists (select 1 from {{ batch_relation }} as b where {{ sotevault.same_key(src_pk, 'b', 'c') }})
{%- endmacro -%}

{#- Engines without DELETE (Spark on Parquet) find the latest version with a window. -#}
{%- macro spark__sat_current_rows(src_pk, batch_relation) -%}
    select * from {{ this }}
    where {{ src_pk }} in (select {{ src_pk }} from {{ batch_relation }})
    qualify row_number() over (
        partition by {{ src_pk }} order by src_order desc, src_position desc) = 1
{%- endmacro -%}


{%- macro current_relation() -%}
    {{ this.schema }}.{{ this.identifier }}__current
{%- endmacro -%}

{#- Post-hook of every satellite: the current state, then the watermark, for one batch range. -#}
{%- macro sat_post_hook() -%}
{%- set batches = sotevault.loaded_batches() -%}
{{ sotevault.sat_maintain_current(batches) }}
{{ sotevault.advance_watermark(batches) }}
{%- endmacro -%}

{#- The satellite's key and hashdiff columns, written into its compiled SQL for its hooks to
    read back (`sat_keys`) instead of asking the database for the table's columns. -#}
{%- macro sat_marker(src_pk, src_hashdiff) -%}
/* sotevault satellite: key {{ src_pk }}, hashdiff {{ src_hashdiff }} */
{%- endmacro -%}

{%- macro sat_keys() -%}
    {%- set found = modules.re.search('sotevault satellite: key (\\w+), hashdiff (\\w+)', model.compiled_code or '') -%}
    {%- if found is none -%}
        {{ exceptions.raise_compiler_error(this.identifier ~ ": a satellite's SQL comes from sotevault.sat (its post-hook reads the key and hashdiff from it)") }}
    {%- endif -%}
    {{ return([found.group(1), found.group(2)]) }}
{%- endmacro -%}

{#- Bring `<sat>__current` up to date with the rows of this run's batches, in the same
    transaction as the load. -#}

{%- macro sat_maintain_current(batches) -%}
    {{ return(adapter.dispatch('sat_maintain_current', 'sotevault')(batches)) }}
{%- endmacro -%}

{%- macro default__sat_maintain_current(batches) -%}
{%- if execute -%}
{%- set pk, hd = sotevault.sat_keys() -%}
{%- set bk = sotevault.key_text_column(pk) -%}
{%- set current = sotevault.current_relation() -%}
{%- set this_run = sotevault.batch_range_filter(batches, 'load_batch') -%}
{%- set kept = pk ~ ', src_order, src_position, ' ~ hd ~ ', load_datetime, ' ~ bk -%}
create table if not exists {{ current }} as select {{ kept }} from {{ this }} limit 0;
create or replace temp table {{ this.identifier }}__changed as
with loaded as (
    select {{ kept }} from {{ this }} where {{ this_run }}
)
select {{ kept }} from (
    select * from loaded
    union all
    select c.{{ pk }}, c.src_order, c.src_position, c.{{ hd }}, c.load_datetime, c.{{ bk }}
    from {{ current }} as c
    where exists (select 1 from loaded as l where {{ sotevault.same_key(pk, 'l', 'c') }})
)
qualify row_number() over (partition by {{ pk }} order by src_order desc, src_position desc) = 1;
delete from {{ current }} as c
where exists (select 1 from {{ this.identifier }}__changed as x where {{ sotevault.same_key(pk, 'x', 'c') }});
insert into {{ current }} select * from {{ this.identifier }}__changed {{ sotevault.key_order(pk) }};
drop table {{ this.identifier }}__changed;
{%- endif -%}
{%- endmacro -%}

{#- Spark keeps no current-state table (it has no DELETE on Parquet tables): its
    `sat_current_rows` and `sat_latest` find the latest versions with a window. -#}
{%- macro spark__sat_maintain_current(batches) -%}{%- endmacro -%}
