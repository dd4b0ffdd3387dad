-- staging.youth_offending: the youth offending counts the assessment uses (current valid rows), one
-- row per district x quarter x age band. month = quarter_start (the standard column every source
-- has); the row's counts cover the whole quarter.
CREATE OR REPLACE TABLE staging.youth_offending AS
WITH source AS (
    SELECT * FROM staging.youth_offending_checked WHERE is_current
),

final AS (
    SELECT
        _delivery_id, _row_number, quarter_start, month, lad_code, district, geography, age_band,
        first_time_entrants, proven_offences
    FROM source
)

SELECT * FROM final;
