-- facts.crime_lsoa_monthly: police recorded crimes by LSOA x month x offence group, the finest grain
-- a district mart holds (each district gets only its own LSOAs). Only combinations with crimes have
-- a row: no row means no crimes. Rows with no location or outside the area have no LSOA here. Months
-- end where comparisons.crime_trend's do, at the latest complete month (facts.source_windows.
-- complete_until): a month still arriving would read as a district's whole month, and its LSOAs
-- would not add up to a district month the marts publish.
CREATE OR REPLACE TABLE facts.crime_lsoa_monthly AS
WITH source AS (
    SELECT * FROM staging.police_crime WHERE lad_code IS NOT NULL
),

complete AS (
    SELECT complete_until FROM facts.source_windows WHERE source = 'police_crime'
),

lsoas AS (
    SELECT lsoa_code, lsoa_name FROM ref.lsoa_district
),

final AS (
    SELECT s.lad_code, s.lsoa_code, l.lsoa_name, s.month, s.offence_group, count(*) AS crimes
    FROM source AS s
    JOIN lsoas AS l USING (lsoa_code)
    WHERE s.month <= coalesce((SELECT complete_until FROM complete), s.month)
    GROUP BY ALL
)

SELECT * FROM final ORDER BY lad_code, lsoa_code, month, offence_group;
