-- mart_unit_costs as published in the Parquet exports. Services and clients of 1–4 are
-- suppressed, and so are the euros per service or client computed from them (cost / euros
-- per client would give the suppressed count back). Euros and residents are not about persons.
select
    year,
    municipality_code,
    service_class,
    cost_eur,
    income_eur,
    net_cost_eur,
    {{ sotevault.suppressed_count('services') }},
    {{ sotevault.suppressed_count('clients') }},
    residents,
    {{ sotevault.figure_if_enough('eur_per_service', 'services') }},
    {{ sotevault.figure_if_enough('eur_per_client', 'clients') }},
    eur_per_resident
from {{ ref('mart_unit_costs') }}
