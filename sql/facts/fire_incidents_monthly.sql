-- facts.fire_incidents_monthly: fire and rescue incidents by district x month x incident type x
-- motive x dwelling or not.
CREATE OR REPLACE TABLE facts.fire_incidents_monthly AS
WITH source AS (
    SELECT * FROM staging.fire_incidents WHERE lad_code IS NOT NULL
),

final AS (
    SELECT lad_code, month, incident_type, motive, is_dwelling, count(*) AS incidents
    FROM source
    GROUP BY ALL
)

SELECT * FROM final ORDER BY lad_code, month, incident_type, motive NULLS LAST, is_dwelling;
