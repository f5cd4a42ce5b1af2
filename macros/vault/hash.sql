{#-
  Hashing, the AutomateDV convention: each business-key column cast to text, trimmed and
  upper-cased, blank or NULL as '^^', joined with '||'; a key whose parts are all NULL is NULL.
  A hashdiff joins its columns in sorted order (and is never NULL). The digest is MD5.

  The representation is the engine's: DuckDB keeps the 16 digest bytes as a UHUGEINT
  (`md5_number`: fastest to compute and to join, measured in docs/benchmarks.md); engines
  without 128-bit integers (Spark) keep them as 16-byte BINARY. `hash_to_hex` gives the
  upper-case hex digest AutomateDV writes, for comparing keys across tools.
-#}

{%- macro hash_settings() -%}
    {%- set settings = var('sotevault', {}) -%}
    {{ return({
        'concat': settings.get('concat_string', '||'),
        'null': settings.get('null_placeholder_string', '^^'),
    }) }}
{%- endmacro -%}

{%- macro hash_part(column) -%}
    {%- set s = sotevault.hash_settings() -%}
    coalesce(nullif(upper(trim(cast({{ column }} as {{ dbt.type_string() }}))), ''), '{{ s.null }}')
{%- endmacro -%}

{#- The text a key or hashdiff is the digest of. -#}
{%- macro hash_input(columns, is_hashdiff=false) -%}
    {%- set s = sotevault.hash_settings() -%}
    {%- set cols = columns if columns is not string else [columns] -%}
    {%- if is_hashdiff -%}{%- set cols = cols | sort -%}{%- endif -%}
    {%- if cols | length == 1 and not is_hashdiff -%}
        nullif(upper(trim(cast({{ cols[0] }} as {{ dbt.type_string() }}))), '')
    {%- else -%}
        {%- set joined -%}
        concat_ws('{{ s.concat }}'{% for c in cols %}, {{ sotevault.hash_part(c) }}{% endfor %})
        {%- endset -%}
        {%- if is_hashdiff -%}{{ joined }}{%- else -%}
        nullif({{ joined }}, '{{ ([s.null] * (cols | length)) | join(s.concat) }}')
        {%- endif -%}
    {%- endif -%}
{%- endmacro -%}

{%- macro hash(columns, is_hashdiff=false) -%}
    {{ return(adapter.dispatch('hash', 'sotevault')(columns, is_hashdiff)) }}
{%- endmacro -%}

{%- macro default__hash(columns, is_hashdiff) -%}
    md5_number({{ sotevault.hash_input(columns, is_hashdiff) }})
{%- endmacro -%}

{%- macro spark__hash(columns, is_hashdiff) -%}
    unhex(md5({{ sotevault.hash_input(columns, is_hashdiff) }}))
{%- endmacro -%}

{#-
  A hash key and its text: `hk_x` (or `lk_x`) and `bk_x`, the normalised business key it is the
  digest of. Hubs, links and satellites store the text beside the key, in key order, so that a
  load finds the keys it already holds by the text's range (DuckDB skips the row groups outside
  the batch's range) instead of reading the whole key column: docs/vault.md, "Key order".
-#}
{%- macro hash_key(name, columns) -%}
    {{ sotevault.hash(columns) }} as {{ name }}, {{ sotevault.hash_input(columns) }} as {{ sotevault.key_text_column(name) }}
{%- endmacro -%}

{#- The name of a hash key's text column: `hk_visit` -> `bk_visit`, `lk_visit_unit` -> `bk_visit_unit`. -#}
{%- macro key_text_column(key) -%}
    {%- if key[:3] not in ('hk_', 'lk_') -%}
        {{ exceptions.raise_compiler_error("a hash key's name starts with hk_ or lk_: " ~ key) }}
    {%- endif -%}
    {{ return('bk_' ~ key[3:]) }}
{%- endmacro -%}

{#- Two rows hold the same key: the same hash key and the same key text. Every look-up of the
    keys a vault table holds joins on both, not on the key alone: DuckDB pushes the batch's range
    of each join column into the table's scan, and only the text's range skips row groups (MD5
    keys spread over the whole range). -#}
{%- macro same_key(key, left, right) -%}
{%- set bk = sotevault.key_text_column(key) -%}
{{ left }}.{{ key }} = {{ right }}.{{ key }} and {{ left }}.{{ bk }} = {{ right }}.{{ bk }}
{%- endmacro -%}

{#- The order a vault table is written in: its key text, so that the row groups' ranges of it
    are narrow (engines that skip nothing by range, such as Spark, need no order). -#}
{%- macro key_order(key) -%}
    {{ return(adapter.dispatch('key_order', 'sotevault')(key)) }}
{%- endmacro -%}

{%- macro default__key_order(key) -%}
order by {{ sotevault.key_text_column(key) }}
{%- endmacro -%}

{%- macro spark__key_order(key) -%}{%- endmacro -%}

{#- The SQL type of a hash key column (for ghost records and casts). -#}
{%- macro hash_type() -%}
    {{ return(adapter.dispatch('hash_type', 'sotevault')()) }}
{%- endmacro -%}

{%- macro default__hash_type() -%}uhugeint{%- endmacro -%}
{%- macro spark__hash_type() -%}binary{%- endmacro -%}

{#- Upper-case hex of the MD5 digest, as AutomateDV writes its keys. -#}
{%- macro hash_to_hex(column) -%}
    {{ return(adapter.dispatch('hash_to_hex', 'sotevault')(column)) }}
{%- endmacro -%}

{%- macro default__hash_to_hex(column) -%}
    {#- md5_number reads the digest little-endian: reverse the bytes back. -#}
    upper(array_to_string(list_reverse(regexp_extract_all(lpad(hex({{ column }}), 32, '0'), '..')), ''))
{%- endmacro -%}

{%- macro spark__hash_to_hex(column) -%}
    upper(hex({{ column }}))
{%- endmacro -%}
