-- staging.youth_offending_checked: every landed youth offending row (district x quarter x age band,
-- with counts) and its outcome. A quarter is a financial-year quarter ("2024/25 Q1" = April - June
-- 2024) or the quarter's first day; month is the quarter's first month, and a later delivery
-- replaces the quarters it holds. The district is an ONS code or a name.
CREATE OR REPLACE TABLE staging.youth_offending_checked AS
WITH source AS (
    SELECT
        r.*, d.form, d.status AS delivery_status, d.reason AS delivery_reason,
        hash(r.district, r.quarter, r.age_band, r.first_time_entrants, r.proven_offences) AS content_hash
    FROM raw.youth_offending AS r
    JOIN meta.deliveries AS d ON d.delivery_id = r._delivery_id
    WHERE in_build(r._delivery_id)
),

renamed AS (
    SELECT
        _delivery_id, _source_file, _checksum, _row_number, form, delivery_status, delivery_reason, content_hash,
        text_value(district) AS district,
        trim(quarter) AS date_as_received,
        text_value(age_band) AS age_band,
        trim(first_time_entrants) AS first_time_entrants_as_received,
        try_cast(whole_number(first_time_entrants) AS INTEGER) AS first_time_entrants,
        trim(proven_offences) AS proven_offences_as_received,
        try_cast(whole_number(proven_offences) AS INTEGER) AS proven_offences
    FROM source
),

classified AS (
    SELECT
        *,
        -- a financial-year quarter (2024/25 Q1 starts in April 2024; the two years must follow each
        -- other) or a quarter's first day (sql/macros/read_as.sql)
        quarter_start(date_as_received) AS quarter_start
    FROM renamed
),

prepared AS (
    -- the columns checked_rows() reads, and the youth offending checks
    SELECT
        c.*,
        n.lad_code,
        c.quarter_start AS event_date,
        c.district AS place_as_received,
        NULL AS replace_scope,
        coalesce(n.lad_code, district_key(c.district)) || '|' || c.quarter_start || '|' || c.age_band AS record_key,
        true AS key_required,
        true AS key_unique,
        -- a return laid out as a table may carry the county's total (or "Total") as a district: its districts'
        -- own rows are counted, so it is no district's and, unlike a district outside the area, not an event
        -- placed nowhere. A name of a district of the lookup is never a total (a county named like a district).
        n.lad_code IS NULL AND district_key(c.district) IN (
            'total', 'all', 'alldistricts', district_key(getvariable('area_name')),
            district_key(getvariable('area_name') || ' total'), district_key(getvariable('area_name') || ' county'),
            district_key(getvariable('area_name') || ' county council')) AS is_total,
        CASE
            WHEN is_total THEN 'total_row'
            WHEN NOT is_allowed('youth_offending.age_band', c.age_band) THEN 'unknown_age_band'
            WHEN c.first_time_entrants IS NULL OR c.first_time_entrants < 0
                 OR c.proven_offences IS NULL OR c.proven_offences < 0 THEN 'bad_count'
        END AS row_reject_code,
        CASE row_reject_code
            WHEN 'total_row' THEN '''' || c.district || ''' is a total, not a district: the districts'' own rows are counted'
            WHEN 'unknown_age_band' THEN 'age band ''' || coalesce(c.age_band, '') || ''' is not one of: '
                                         || allowed_list('youth_offending.age_band')
            WHEN 'bad_count' THEN 'first-time entrants ''' || c.first_time_entrants_as_received || ''' and proven offences '''
                                  || c.proven_offences_as_received || ''' must both be whole numbers, 0 or more'
        END AS row_reject_reason
    FROM classified AS c
    LEFT JOIN ref.district_names AS n ON n.name_key = district_key(c.district)
),

checked AS (
    SELECT * FROM checked_rows('prepared', 'youth_offending', 'district / quarter / age band',
                               date_expected := 'a financial-year quarter such as 2024/25 Q1, or a quarter''s first day as YYYY-MM-DD',
                               -- a return's totals are its layout, not bad rows: they do not make it unusable
                               share_exempt := ['total_row'])
),

final AS (
    SELECT
        source, _delivery_id, _source_file, _checksum, _row_number, form,
        district, quarter_start, month, age_band, first_time_entrants, proven_offences,
        lad_code, geography, reject_code, reject_reason, is_current, delivery_status, delivery_reason
    FROM checked
)

SELECT * FROM final;
