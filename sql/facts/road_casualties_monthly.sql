-- facts.road_casualties_monthly: road casualties by district x month x severity, with the KSI count
-- from adjusted severities (a sum of probabilities: see staging.road_casualties).
CREATE OR REPLACE TABLE facts.road_casualties_monthly AS
WITH source AS (
    SELECT * FROM staging.road_casualties WHERE lad_code IS NOT NULL
),

final AS (
    SELECT
        lad_code, month, severity,
        count(*) AS casualties,
        count(*) FILTER (WHERE is_ksi) AS ksi,
        -- summed as DECIMAL, exactly, so in any order the same: a parallel sum of doubles (KSI's adjusted severities) can
        -- differ in its last bit from one run to the next
        CAST(sum(CAST(ksi_adjusted AS DECIMAL(38, 9))) AS DOUBLE) AS ksi_adjusted
    FROM source
    GROUP BY ALL
)

SELECT * FROM final ORDER BY lad_code, month, severity;
