-- The service areas of mart_e_contact_share, for BI. The area follows the source system
-- (indicators.md): visits and Omaolo are health, social-care deliveries social. No seed holds
-- the areas, as they are not a code of any source; health and social are the mart's own.
select
    cast(code as varchar) as code,
    cast(name_fi as varchar) as name_fi,
    cast(name_en as varchar) as name_en,
    code = 'ALL' as is_rollup
from (
    values
        ('health', 'Terveydenhuolto', 'Health care'),
        ('social', 'Sosiaalihuolto', 'Social welfare'),
        ('ALL', 'Kaikki palvelualueet', 'All service areas')
) as areas (code, name_fi, name_en)
order by is_rollup, code
