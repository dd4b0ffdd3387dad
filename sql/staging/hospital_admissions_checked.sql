-- materialized: incremental by delivery (transforms/build.py): every check here is per delivery or per month
-- staging.hospital_admissions_checked: every landed admission row with its outcome. The patient's
-- residence is an LSOA or a district (code or name); the LSOA wins when a row has both. Assault is
-- ICD-10 X85-Y09, read from the first three characters of the cause code (X99.1 and X991 are X99).
CREATE OR REPLACE TABLE staging.hospital_admissions_checked AS
WITH source AS (
    SELECT
        r.*, d.form, d.status AS delivery_status, d.reason AS delivery_reason,
        hash(r.admission_id, r.admission_date, r.cause_code, r.lsoa_code, r.district,
            r.age_band, r.sex) AS content_hash
    FROM raw.hospital_admissions AS r
    JOIN meta.deliveries AS d ON d.delivery_id = r._delivery_id
    WHERE in_build(r._delivery_id)
),

renamed AS (
    SELECT
        _delivery_id, _source_file, _checksum, _row_number, form, delivery_status, delivery_reason, content_hash,
        text_value(admission_id) AS admission_id,
        trim(admission_date) AS date_as_received,
        parse_timestamp(admission_date)::DATE AS admission_date,
        icd10_value(cause_code) AS cause_code,
        code_value(lsoa_code) AS lsoa_code,
        text_value(district) AS district,
        text_value(age_band) AS age_band,
        text_value(sex) AS sex
    FROM source
),

prepared AS (
    -- the columns checked_rows() reads, and the admission checks
    SELECT
        r.*,
        coalesce(l.lad_code, n.lad_code) AS lad_code,
        left(r.cause_code, 3) BETWEEN 'X85' AND 'Y09' AS is_assault,
        r.admission_date AS event_date,
        coalesce(r.lsoa_code, r.district) AS place_as_received,
        NULL AS replace_scope,
        r.admission_id AS record_key,
        false AS key_required,
        true AS key_unique,
        CASE
            WHEN r.cause_code IS NULL OR NOT matches_pattern('icd10', r.cause_code) THEN 'bad_cause_code'
            WHEN r.lsoa_code IS NOT NULL AND NOT matches_pattern('lsoa', r.lsoa_code) THEN 'bad_lsoa'
            WHEN NOT is_allowed('hospital_admissions.age_band', r.age_band) THEN 'unknown_age_band'
            WHEN NOT is_allowed('hospital_admissions.sex', r.sex) THEN 'unknown_sex'
        END AS row_reject_code,
        CASE row_reject_code
            WHEN 'bad_cause_code' THEN 'cause ''' || coalesce(r.cause_code, '') || ''' is not an ICD-10 code (e.g. X99 or Y04.0)'
            WHEN 'bad_lsoa' THEN 'LSOA code ''' || r.lsoa_code || ''' is not a valid LSOA code'
            WHEN 'unknown_age_band' THEN 'age band ''' || coalesce(r.age_band, '') || ''' is not one of: '
                                         || allowed_list('hospital_admissions.age_band')
            WHEN 'unknown_sex' THEN 'sex ''' || coalesce(r.sex, '') || ''' is not one of: ' || allowed_list('hospital_admissions.sex')
        END AS row_reject_reason
    FROM renamed AS r
    LEFT JOIN ref.lsoa_district AS l ON l.lsoa_code = r.lsoa_code
    LEFT JOIN ref.district_names AS n ON r.lsoa_code IS NULL AND n.name_key = district_key(r.district)
),

checked AS (
    SELECT * FROM checked_rows('prepared', 'hospital_admissions', 'admission id')
),

final AS (
    SELECT
        source, _delivery_id, _source_file, _checksum, _row_number, form,
        admission_id, admission_date, month, cause_code, is_assault, age_band, sex,
        lsoa_code, district, lad_code, geography, reject_code, reject_reason, is_current, delivery_status, delivery_reason
    FROM checked
)

SELECT * FROM final;
