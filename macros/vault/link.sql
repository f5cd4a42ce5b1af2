{#-
  A link: one row per relationship (the hash of its hubs' business keys), recorded once with
  the first load time and record source that brought it, like a hub.
-#}
{%- macro link(src_pk, src_fk, src_ldts, src_source, source_model) -%}
    {{ return(adapter.dispatch('link', 'sotevault')(src_pk, src_fk, src_ldts, src_source, source_model)) }}
{%- endmacro -%}

{%- macro default__link(src_pk, src_fk, src_ldts, src_source, source_model) -%}
{%- set fks = [src_fk] if src_fk is string else src_fk -%}
{{ sotevault.hub(src_pk, fks, src_ldts, src_source, source_model) }}
{%- endmacro -%}
