{#-
  A roll-up row holds the sum of the rows it rolls up (indicators.md § Roll-ups): for every
  combination of `group_by`, the one row with `key = rollup_value` has in each of `columns` the
  sum over the other rows (e.g. key municipality_code, rollup_value '000', group_by [month,
  professional_group]: the region's row is the sum of its seven municipalities). Only for
  additive figures: counts of visits or contacts, euros summed by class; never distinct persons,
  medians or shares. Fails with one row per combination whose roll-up row is missing, doubled or
  differs, with both values of every column.
-#}
{% test rollup_equals_sum(model, columns, key, rollup_value, group_by) %}
with sums as (
    select
        {{ group_by | join(', ') }},
        count(*) filter (where {{ key }} = '{{ rollup_value }}') as rollup_rows,
        {%- for column in columns %}
        sum({{ column }}) filter (where {{ key }} = '{{ rollup_value }}') as {{ column }}__rollup,
        coalesce(sum({{ column }}) filter (where {{ key }} <> '{{ rollup_value }}'), 0) as {{ column }}__sum
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ model }}
    group by {{ group_by | join(', ') }}
)

select *
from sums
where rollup_rows <> 1
    {%- for column in columns %}
    or {{ column }}__rollup is distinct from {{ column }}__sum
    {%- endfor %}
{% endtest %}
