-- facts.hospital_admissions_monthly: admissions by district x month, assault (ICD-10 X85-Y09) or
-- not. Restricted: HES disclosure rules (suppress 1-7, round to 5) apply to anything published from it.
CREATE OR REPLACE TABLE facts.hospital_admissions_monthly AS
WITH source AS (
    SELECT * FROM staging.hospital_admissions WHERE lad_code IS NOT NULL
),

final AS (
    SELECT lad_code, month, is_assault, count(*) AS admissions
    FROM source
    GROUP BY ALL
)

SELECT * FROM final ORDER BY lad_code, month, is_assault;
