-- Every ledger line that counts (the highest `_vN` of its month) with the service class and
-- municipality of its cost centre on its posting date, from the register in force (the
-- newest register file). A line whose cost centre has no row valid that day is unresolved:
-- it counts in no cost figure, and in conformance rule `cost_centre_resolved`. Were two
-- register rows valid on one day, the one valid from the later date is taken.
with lines as (
    select * from {{ ref('bv_ledger_line_current') }}
),

register as (
    select * from {{ ref('bv_cost_centre_register_in_force') }}
),

matched as (
    select
        lines.hk_ledger_line,
        register.service_class,
        register.municipality_code
    from lines
    inner join register
        on lines.hk_cost_centre = register.hk_cost_centre
        and lines.posted_on >= register.valid_from
        and (register.valid_to is null or lines.posted_on <= register.valid_to)
    qualify row_number() over (
        partition by lines.hk_ledger_line order by register.valid_from desc, register.valid_to desc nulls first) = 1
)

select
    lines.hk_ledger_line,
    lines.ledger_month,
    lines.file_version,
    lines.voucher,
    lines.line_number,
    lines.posted_on,
    lines.cost_centre,
    lines.account,
    lines.amount,
    matched.service_class,
    matched.municipality_code,
    matched.hk_ledger_line is not null as is_resolved
from lines
left join matched on lines.hk_ledger_line = matched.hk_ledger_line
