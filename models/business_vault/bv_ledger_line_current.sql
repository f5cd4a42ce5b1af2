-- The ledger lines that count: those of the highest file version of each ledger month (a
-- later version replaces every line of its month; a line not in it is gone).
with lines as (
    select * from {{ ref('nhl_ledger_line') }}
),

newest as (
    select ledger_month, max(file_version) as file_version from lines group by ledger_month
)

select
    lines.hk_ledger_line,
    lines.hk_cost_centre,
    lines.ledger_month,
    lines.file_version,
    lines.voucher,
    lines.line_number,
    lines.posted_on,
    lines.cost_centre,
    lines.account,
    lines.amount,
    lines.description
from lines
inner join newest on lines.ledger_month = newest.ledger_month and lines.file_version = newest.file_version
