{#- The patient record systems whose visits the business vault reads, and the satellites a
    visit's current version is computed from: what bv_visit_current and bv_visit_contact
    recompute a visit for when a batch touches it. -#}

{%- macro visit_record_systems() -%}
    {{ return(['aptj_a', 'aptj_b']) }}
{%- endmacro -%}

{%- macro visit_satellites() -%}
    {%- set sats = [] -%}
    {%- for system in sotevault.visit_record_systems() -%}
        {%- do sats.extend(['sat_visit_details__' ~ system, 'sat_visit_status__' ~ system]) -%}
    {%- endfor -%}
    {{ return(sats) }}
{%- endmacro -%}
