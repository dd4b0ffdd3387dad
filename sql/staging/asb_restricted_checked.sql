-- materialized: incremental by delivery (transforms/build.py): every check here is per delivery or per month
-- staging.asb_restricted_checked: every row of the restricted ASB extracts (Kent Police / district
-- council, landed in raw.asb) with its outcome: valid (reject_code NULL) or quarantined with a code
-- and a reason in words; valid rows of a month a later delivery resubmitted are kept, not current.
-- The ASB checks are the two in `prepared` (category, LSOA format), each on its own row; the shared
-- ones come from checked_rows() and look at the row's delivery (dates, period, keys, copies) or its
-- month (which delivery is current: ASB has no replace_scope, a delivery replaces the whole month,
-- caveat 13). So a table built one delivery at a time, with every delivery sharing a month checked
-- again, is the table a full build gives, and a monthly refresh checks only the new deliveries.
-- This is the restricted half of the ASB checked rows only: the view asb_checked
-- (sql/staging/asb_checked.sql) adds the data.police.uk ASB rows, which stay in
-- staging.police_crime_checked (checked once, with their street file), and lets this table's current
-- months override theirs. Keeping them out of this table is what lets it be incremental on raw.asb's
-- deliveries, and what stops them being copied again every month.
CREATE OR REPLACE TABLE staging.asb_restricted_checked AS
WITH source AS (
    SELECT
        r.*, d.form, d.status AS delivery_status, d.reason AS delivery_reason,
        -- the row's content as received, to find exact duplicates and keys repeated with different content
        hash(r.asb_reference, r.incident_date, r.asb_category, r.lsoa_code) AS content_hash
    FROM raw.asb AS r
    JOIN meta.deliveries AS d ON d.delivery_id = r._delivery_id
    WHERE in_build(r._delivery_id)
),

renamed AS (
    SELECT
        _delivery_id, _source_file, _checksum, _row_number, form, delivery_status, delivery_reason,
        text_value(asb_reference) AS asb_reference,
        trim(incident_date) AS date_as_received,
        parse_timestamp(incident_date)::DATE AS incident_date,
        text_value(asb_category) AS asb_category,
        code_value(lsoa_code) AS lsoa_code,
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
            WHEN r.lsoa_code IS NOT NULL AND NOT matches_pattern('lsoa', r.lsoa_code) THEN 'bad_lsoa'
        END AS row_reject_code,
        CASE row_reject_code
            WHEN 'unknown_category' THEN 'ASB category ''' || r.asb_category || ''' is not one of: '
                                         || allowed_list('asb.asb_category')
            WHEN 'bad_lsoa' THEN 'LSOA code ''' || r.lsoa_code || ''' is not a valid LSOA code'
        END AS row_reject_reason
    FROM renamed AS r
    LEFT JOIN ref.lsoa_district AS l ON l.lsoa_code = r.lsoa_code
),

checked AS (
    SELECT * FROM checked_rows('prepared', 'asb', 'ASB reference')
),

final AS (
    -- the columns of the ASB checked rows, in their order (the view stacks the data.police.uk rows under them)
    SELECT
        source, _delivery_id, _source_file, _checksum, _row_number, form,
        asb_reference, incident_date, month, asb_category, lsoa_code, lad_code, geography,
        reject_code, reject_reason, is_current, delivery_status, delivery_reason
    FROM checked
)

SELECT * FROM final;
