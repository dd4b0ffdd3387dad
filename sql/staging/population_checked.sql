-- staging.population_checked: every landed population row (ONS mid-year estimate by district) with
-- its outcome. A row is dated 30 June of its mid-year (month = June). A later delivery replaces
-- the figure of each district and mid-year it holds, and only those (replace_scope), so a
-- correction for one district leaves the others as they were.
CREATE OR REPLACE TABLE staging.population_checked AS
WITH source AS (
    SELECT
        r.*, d.form, d.status AS delivery_status, d.reason AS delivery_reason,
        hash(r.lad_code, r.lad_name, r.mid_year, r.population) AS content_hash
    FROM raw.population AS r
    JOIN meta.deliveries AS d ON d.delivery_id = r._delivery_id
    WHERE in_build(r._delivery_id)
),

renamed AS (
    SELECT
        _delivery_id, _source_file, _checksum, _row_number, form, delivery_status, delivery_reason, content_hash,
        code_value(lad_code) AS area_code,
        text_value(lad_name) AS lad_name,
        trim(mid_year) AS date_as_received,
        try_cast(whole_number(mid_year) AS INTEGER) AS mid_year,
        trim(population) AS population_as_received,
        whole_number(population) AS population
    FROM source
),

prepared AS (
    -- the columns checked_rows() reads, and the population checks
    SELECT
        r.*,
        d.lad_code,
        CASE WHEN r.mid_year BETWEEN 1900 AND 2999 THEN make_date(r.mid_year, 6, 30) END AS event_date,
        r.area_code AS place_as_received,
        -- estimates are revised district by district: a correction for one leaves the others as they were
        r.area_code AS replace_scope,
        r.area_code || '|' || r.mid_year AS record_key,
        true AS key_required,
        true AS key_unique,
        CASE
            WHEN r.area_code IS NULL OR NOT matches_pattern('ons_code', r.area_code) THEN 'bad_area_code'
            WHEN r.population IS NULL OR r.population <= 0 THEN 'bad_population'
        END AS row_reject_code,
        CASE row_reject_code
            WHEN 'bad_area_code' THEN 'area code ''' || coalesce(r.area_code, '') || ''' is not an ONS area code (e.g. E07000110)'
            WHEN 'bad_population' THEN 'population ''' || coalesce(r.population_as_received, '') || ''' is not a whole number above 0'
        END AS row_reject_reason
    FROM renamed AS r
    LEFT JOIN ref.districts AS d ON d.lad_code = r.area_code
),

checked AS (
    SELECT * FROM checked_rows('prepared', 'population', 'area code / mid-year',
                               date_expected := 'a year, YYYY')
),

final AS (
    SELECT
        source, _delivery_id, _source_file, _checksum, _row_number, form,
        area_code, lad_name, mid_year, population, month,
        lad_code, geography, reject_code, reject_reason, is_current, delivery_status, delivery_reason
    FROM checked
)

SELECT * FROM final;
