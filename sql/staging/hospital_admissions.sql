-- staging.hospital_admissions: the admissions the assessment counts (current valid rows), one row
-- per admission, placed by the patient's residence. is_assault: ICD-10 X85-Y09. Patients living
-- outside the area, or with no residence recorded, have no district.
CREATE OR REPLACE TABLE staging.hospital_admissions AS
WITH source AS (
    SELECT * FROM staging.hospital_admissions_checked WHERE is_current
),

final AS (
    SELECT
        _delivery_id, _row_number, admission_id, month, admission_date, lad_code, lsoa_code, geography,
        cause_code, is_assault, age_band, sex
    FROM source
)

SELECT * FROM final;
