-- facts.crime_monthly: police recorded crimes by district x month x offence group.
CREATE OR REPLACE TABLE facts.crime_monthly AS
WITH source AS (
    SELECT * FROM staging.police_crime WHERE lad_code IS NOT NULL
),

final AS (
    SELECT lad_code, month, offence_group, count(*) AS crimes
    FROM source
    GROUP BY ALL
)

SELECT * FROM final ORDER BY lad_code, month, offence_group;
