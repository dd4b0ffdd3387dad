-- staging.fire_incidents: the incidents the assessment counts (current valid rows), one per
-- incident. Deliberate secondary fires are an ASB indicator, accidental dwelling fires
-- (Primary fire, Accidental, is_dwelling) a vulnerability indicator. is_dwelling is NULL where the
-- property type was not recorded.
CREATE OR REPLACE TABLE staging.fire_incidents AS
WITH source AS (
    SELECT * FROM staging.fire_incidents_checked WHERE is_current
),

final AS (
    SELECT
        _delivery_id, _row_number, incident_number, month, incident_datetime, lad_code, lsoa_code, geography,
        incident_type, motive, property_type, is_dwelling
    FROM source
)

SELECT * FROM final;
