-- The ledger lines that count: those of the highest file version of each ledger month (a
-- later version replaces every line of its month; a line not in it is gone). The version in
-- force is that of the newest file loaded for the month, whether or not it holds lines: a
-- `_v2` without lines empties its month.
with lines as (
    select * from {{ ref('nhl_ledger_line') }}
),

newest as (
    select file_date as ledger_month, max(file_version) as file_version
    from {{ source('audit', 'load_files') }}
    where source = 'talous_kirjaukset' and status = 'loaded'
    group by file_date
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
