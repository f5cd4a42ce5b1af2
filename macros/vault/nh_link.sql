{#-
  A non-historised link: an event that never changes once recorded (a ledger line as
  delivered in one file version), its payload stored with it, loaded once per key.
-#}
{%- macro nh_link(src_pk, src_fk, src_payload, src_ldts, src_source, source_model) -%}
    {{ return(adapter.dispatch('nh_link', 'sotevault')(src_pk, src_fk, src_payload, src_ldts, src_source, source_model)) }}
{%- endmacro -%}

{%- macro default__nh_link(src_pk, src_fk, src_payload, src_ldts, src_source, source_model) -%}
{%- set fks = [src_fk] if src_fk is string else src_fk -%}
{{ sotevault.hub(src_pk, fks + src_payload, src_ldts, src_source, source_model) }}
{%- endmacro -%}
