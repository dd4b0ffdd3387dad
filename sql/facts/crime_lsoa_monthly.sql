-- facts.crime_lsoa_monthly: police recorded crimes by LSOA x month x offence group, the finest grain
-- a district mart holds (each district gets only its own LSOAs). Only combinations with crimes have
-- a row: no row means no crimes. Rows with no location or outside the area have no LSOA here.
CREATE OR REPLACE TABLE facts.crime_lsoa_monthly AS
WITH source AS (
    SELECT * FROM staging.police_crime WHERE lad_code IS NOT NULL
),

lsoas AS (
    SELECT lsoa_code, lsoa_name FROM ref.lsoa_district
),

final AS (
    SELECT s.lad_code, s.lsoa_code, l.lsoa_name, s.month, s.offence_group, count(*) AS crimes
    FROM source AS s
    JOIN lsoas AS l USING (lsoa_code)
    GROUP BY ALL
)

SELECT * FROM final ORDER BY lad_code, lsoa_code, month, offence_group;
