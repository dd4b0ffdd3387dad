-- staging.asb_checked: every ASB row with its outcome, from both forms of the source:
--   restricted: Kent Police / district council extracts landed in raw.asb, checked here;
--   police_uk:  data.police.uk "Anti-social behaviour" rows, which arrive inside police_crime street
--               files. They are landed and checked once, with their police_crime delivery (whose
--               balance counts them), and shown here from staging.police_crime_checked.
-- A month held by a current restricted delivery uses the restricted rows: the data.police.uk rows
-- of that month are the same incidents with less detail, so they are not current here.
CREATE OR REPLACE TABLE staging.asb_checked AS
WITH source AS (
    SELECT
        r.*, d.form, d.status AS delivery_status, d.reason AS delivery_reason,
        hash(r.asb_reference, r.incident_date, r.asb_category, r.lsoa_code) AS content_hash
    FROM raw.asb AS r
    JOIN meta.deliveries AS d ON d.delivery_id = r._delivery_id
    WHERE in_build(r._delivery_id)
),

renamed AS (
    SELECT
        _delivery_id, _source_file, _checksum, _row_number, form, delivery_status, delivery_reason,
        nullif(trim(asb_reference), '') AS asb_reference,
        trim(incident_date) AS date_as_received,
        parse_timestamp(incident_date)::DATE AS incident_date,
        nullif(trim(asb_category), '') AS asb_category,
        nullif(upper(trim(lsoa_code)), '') AS lsoa_code,
        content_hash
    FROM source
),

prepared AS (
    -- the columns checked_rows() reads, and the ASB checks
    SELECT
        r.*,
        l.lad_code,
        r.incident_date AS event_date,
        r.lsoa_code AS place_as_received,
        NULL AS replace_scope,
        r.asb_reference AS record_key,
        true AS key_required,
        true AS key_unique,
        CASE
            -- an empty category is "not recorded" (kept, category NULL); an unknown one is an error
            WHEN r.asb_category IS NOT NULL AND NOT is_allowed('asb.asb_category', r.asb_category) THEN 'unknown_category'
            WHEN r.lsoa_code IS NOT NULL AND NOT regexp_full_match(r.lsoa_code, '[EW]0[0-9]{7}') THEN 'bad_lsoa'
        END AS row_reject_code,
        CASE row_reject_code
            WHEN 'unknown_category' THEN 'ASB category ''' || r.asb_category || ''' is not one of: '
                                         || allowed_list('asb.asb_category')
            WHEN 'bad_lsoa' THEN 'LSOA code ''' || r.lsoa_code || ''' is not a valid LSOA code'
        END AS row_reject_reason
    FROM renamed AS r
    LEFT JOIN ref.lsoa_district AS l ON l.lsoa_code = r.lsoa_code
),

restricted AS (
    SELECT * FROM checked_rows('prepared', 'asb', 'ASB reference')
),

restricted_months AS (
    SELECT DISTINCT month FROM restricted WHERE is_current
),

police_uk AS (
    SELECT * FROM staging.police_crime_checked WHERE is_asb
),

final AS (
    SELECT
        source, _delivery_id, _source_file, _checksum, _row_number, form,
        asb_reference, incident_date, month, asb_category, lsoa_code, lad_code, geography,
        reject_code, reject_reason, is_current
    FROM restricted
    UNION ALL
    SELECT
        'asb' AS source, _delivery_id, _source_file, _checksum, _row_number, form,
        crime_reference AS asb_reference,
        NULL::DATE AS incident_date,   -- data.police.uk gives the month only
        month,
        NULL AS asb_category,          -- and no category
        lsoa_code, lad_code, geography, reject_code, reject_reason,
        is_current AND month NOT IN (SELECT month FROM restricted_months) AS is_current
    FROM police_uk
)

SELECT * FROM final;
