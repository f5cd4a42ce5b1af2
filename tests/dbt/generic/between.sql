{#-
  Every non-null value of `column_name` lies in [min_value, max_value], bounds included. Either
  bound may be left out: `min_value: 0` alone says a count is never negative. NULLs pass (a
  share is null where its denominator is 0; not_null says where that is not allowed). Fails
  with one row per value outside.
-#}
{% test between(model, column_name, min_value=none, max_value=none) %}
{%- if min_value is none and max_value is none -%}
    {{ exceptions.raise_compiler_error("between: give min_value, max_value or both") }}
{%- endif %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
  and (
    {%- if min_value is not none %} {{ column_name }} < {{ min_value }}{% endif %}
    {%- if min_value is not none and max_value is not none %} or{% endif %}
    {%- if max_value is not none %} {{ column_name }} > {{ max_value }}{% endif %}
  )
{% endtest %}
