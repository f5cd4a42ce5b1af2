{#- The roll-ups of indicators.md, computed by GROUPING SETS over the input rows: every row counts
    in its own cell, in its municipality's ALL, in the region's (000) cell of its group and in
    the region's ALL. A roll-up's figures are computed from its rows (distinct clients, medians),
    never summed from cells, and no row is copied to get there.

    group_by_rollups(['month'], 'service_area') groups by month in every set; columns in `always`
    other than the period (e.g. a wait's kind and days) are kept in every set too. A row of the
    whole region (municipality 000, a region-wide cost centre) counts in the region's cells only.
    In the select list, rolled_up(column, label) names a set's rolled-up column by its label. -#}

{%- macro group_by_rollups(always, group) -%}
    {%- set kept = always | join(', ') -%}
    group by grouping sets (
        ({{ kept }}, municipality_code, {{ group }}),
        ({{ kept }}, municipality_code),
        ({{ kept }}, {{ group }}),
        ({{ kept }})
    )
    having grouping(municipality_code) = 1 or municipality_code is distinct from '000'
{%- endmacro -%}

{%- macro rolled_up(column, label) -%}
    case when grouping({{ column }}) = 1 then '{{ label }}' else {{ column }} end
{%- endmacro -%}
