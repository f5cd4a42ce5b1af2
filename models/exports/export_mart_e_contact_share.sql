-- mart_e_contact_share as published in the Parquet exports: small cells suppressed.
select
    month,
    municipality_code,
    service_area,
    {{ sotevault.suppressed_count('contacts') }},
    {{ sotevault.suppressed_count('contacts_in_person') }},
    {{ sotevault.suppressed_count('contacts_remote_realtime') }},
    {{ sotevault.suppressed_count('contacts_electronic') }},
    {{ sotevault.suppressed_count('e_contacts') }},
    {{ sotevault.share_if_enough('e_contact_share', 'contacts') }}
from {{ ref('mart_e_contact_share') }}
