{#- The keys every mart has a row for (indicators.md): every period from the first to the last
    that has input, the seven municipalities and 000, every group and ALL. -#}

{%- macro month_spine(relation, month_column='month') -%}
    select cast(range as date) as month
    from range(
        (select min({{ month_column }}) from {{ relation }}),
        (select max({{ month_column }}) from {{ relation }}) + interval 1 month,
        interval 1 month)
{%- endmacro -%}

{%- macro municipalities_with_region() -%}
    select code as municipality_code from {{ ref('kunta') }}
    union all
    select '000'
{%- endmacro -%}

{#- A euro amount divided by a count, rounded once to cents, half away from zero, exactly:
    in integer cents, not through a float. NULL where the count is 0 or NULL. -#}
{%- macro eur_per(amount, denominator) -%}
    case when coalesce(({{ denominator }}), 0) = 0 then null else
        cast(
            sign({{ amount }}) * ((2 * abs(cast(({{ amount }}) * 100 as hugeint)) + ({{ denominator }}))
                // (2 * ({{ denominator }})))
            as decimal(18, 0)) * cast(0.01 as decimal(3, 2))
    end
{%- endmacro -%}

{%- macro share(part, whole) -%}
    case when coalesce(({{ whole }}), 0) = 0 then null else cast(({{ part }}) as double) / ({{ whole }}) end
{%- endmacro -%}
