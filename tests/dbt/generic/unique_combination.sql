{#-
  No two rows share the same values of `columns` (NULLs compare equal, as in GROUP BY). Fails
  with one row per duplicated combination and how many rows hold it. On a satellite, with
  columns [<pk>, src_order, <hashdiff>], it says the vault keeps each source version of a key
  once (macros/vault/sat.sql).
-#}
{% test unique_combination(model, columns) %}
select
    {{ columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
