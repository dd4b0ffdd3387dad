-- staging.road_casualties: one row per road casualty the assessment counts (current valid rows of
-- the casualty file), dated and placed by its collision. KSI = killed or seriously injured:
--   is_ksi        fatal or serious as recorded by the police;
--   ksi_adjusted  1 for a death, else the DfT's adjusted probability of a serious injury where the
--                 release has one (casualty_adjusted_severity_serious), else is_ksi as 0/1. A KSI
--                 count from it is a sum of probabilities, not an integer;
--   severity_basis  'adjusted' or 'recorded': whether the casualty's release has adjusted severities
--                 (none for a death, 1 either way).
-- Codes keep the DfT road safety data guide's meanings (-1 = missing is NULL).
CREATE OR REPLACE TABLE staging.road_casualties AS
WITH source AS (
    SELECT * FROM staging.road_casualties_checked WHERE form = 'casualty' AND is_current
),

final AS (
    SELECT
        _delivery_id, _row_number, accident_index, vehicle_reference, casualty_reference,
        month, collision_date, lad_code, geography, police_force,
        casualty_severity,
        CASE casualty_severity WHEN 1 THEN 'Fatal' WHEN 2 THEN 'Serious' WHEN 3 THEN 'Slight' END AS severity,
        casualty_severity IN (1, 2) AS is_ksi,
        CASE
            WHEN casualty_severity = 1 THEN 1.0
            WHEN casualty_adjusted_severity_serious IS NOT NULL THEN casualty_adjusted_severity_serious
            ELSE CAST(casualty_severity = 2 AS DOUBLE)
        END::DOUBLE AS ksi_adjusted,
        -- what the release's ksi_adjusted of a casualty not killed comes from (a change of it is a series
        -- break: facts.series_breaks): a release with adjusted values is on that basis even where a row
        -- lacks one (-1, missing)
        CASE WHEN casualty_severity <> 1 THEN
            CASE WHEN count(casualty_adjusted_severity_serious) OVER (PARTITION BY _delivery_id) > 0
                THEN 'adjusted' ELSE 'recorded' END
        END AS severity_basis,
        casualty_class, casualty_type, age_band_of_casualty, sex_of_casualty
    FROM source
)

SELECT * FROM final;
