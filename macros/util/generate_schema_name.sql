{#- Schemas are named as configured (raw, staging, vault, business_vault, marts), not prefixed
    with the target schema: analysts and BI tools query `marts.mart_care_guarantee`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
