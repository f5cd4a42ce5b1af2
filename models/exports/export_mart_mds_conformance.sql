-- mart_mds_conformance as published: counts of records in files, not of persons, so nothing
-- is suppressed.
select
    source,
    month,
    rule_id,
    rule_description,
    records_checked,
    records_failing,
    conformance_share
from {{ ref('mart_mds_conformance') }}
