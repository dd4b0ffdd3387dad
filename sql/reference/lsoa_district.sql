-- ref.lsoa_district: LSOA code -> district for both LSOA vintages. data.police.uk moved from
-- 2011 to 2021 codes, so a code is looked up in either; a code in neither is outside the area.
CREATE OR REPLACE TABLE ref.lsoa_district AS
WITH lsoa21 AS (
    SELECT * FROM read_csv(getvariable('reference_dir') || '/lsoa21_lookup.csv', all_varchar = true)
),

lsoa11 AS (
    SELECT * FROM read_csv(getvariable('reference_dir') || '/lsoa11_lookup.csv', all_varchar = true)
),

renamed AS (
    SELECT LSOA21CD AS lsoa_code, LSOA21NM AS lsoa_name, LAD22CD AS lad_code, 2021 AS vintage FROM lsoa21
    UNION ALL
    SELECT LSOA11CD, LSOA11NM, LAD20CD, 2011 FROM lsoa11
),

final AS (
    -- codes unchanged between vintages appear twice: keep the 2021 row
    SELECT * FROM renamed
    QUALIFY row_number() OVER (PARTITION BY lsoa_code ORDER BY vintage DESC) = 1
)

SELECT * FROM final ORDER BY lsoa_code;
