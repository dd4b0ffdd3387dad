-- staging.police_crime_checked: every landed police crime row with its outcome. A row is either
-- valid (reject_code NULL) or quarantined with a reason code and a reason in words; valid rows of
-- a month that a later delivery resubmitted are kept but not current. Nothing is dropped here.
CREATE OR REPLACE TABLE staging.police_crime_checked AS
WITH source AS (
    SELECT
        r.*, d.form, d.status AS delivery_status, d.reason AS delivery_reason,
        -- the row's content as received, to find exact duplicates and keys repeated with different content
        md5(concat_ws('|', r.crime_reference, r.recorded_date, r.month, r.ho_offence_code, r.offence_group,
            r.crime_type, r.lsoa_code, r.longitude, r.latitude, r.location, r.last_outcome, r.context,
            r.domestic_abuse, r.hate_crime, r.hate_strand, r.vawg, r.knife, r.victim_age_band,
            r.victim_sex)) AS content_hash
    FROM raw.police_crime AS r
    JOIN meta.deliveries AS d ON d.delivery_id = r._delivery_id
),

renamed AS (
    SELECT
        _delivery_id, _source_file, _checksum, _row_number, form, delivery_status, delivery_reason,
        nullif(trim(crime_reference), '') AS crime_reference,
        CASE form WHEN 'police_uk' THEN trim(month) ELSE trim(recorded_date) END AS date_as_received,
        CASE form
            WHEN 'police_uk' THEN try_strptime(trim(month), '%Y-%m')::DATE
            ELSE coalesce(
                try_strptime(trim(recorded_date), '%Y-%m-%d'),
                try_strptime(trim(recorded_date), '%d/%m/%Y'),
                try_strptime(trim(recorded_date), '%Y-%m-%d %H:%M:%S'),
                try_strptime(trim(recorded_date), '%d/%m/%Y %H:%M'),
                try_strptime(trim(recorded_date), '%d-%b-%Y'))::DATE
        END AS recorded_on,
        CASE form WHEN 'police_uk' THEN trim(crime_type) ELSE trim(offence_group) END AS offence_as_received,
        nullif(trim(ho_offence_code), '') AS ho_offence_code,
        nullif(upper(trim(lsoa_code)), '') AS lsoa_code,
        nullif(trim(falls_within), '') AS falls_within,
        CASE upper(trim(domestic_abuse)) WHEN 'Y' THEN true WHEN 'N' THEN false END AS domestic_abuse,
        CASE upper(trim(hate_crime)) WHEN 'Y' THEN true WHEN 'N' THEN false END AS hate_crime,
        nullif(trim(hate_strand), '') AS hate_strand,
        CASE upper(trim(vawg)) WHEN 'Y' THEN true WHEN 'N' THEN false END AS vawg,
        CASE upper(trim(knife)) WHEN 'Y' THEN true WHEN 'N' THEN false END AS knife,
        nullif(trim(victim_age_band), '') AS victim_age_band,
        nullif(trim(victim_sex), '') AS victim_sex,
        content_hash
    FROM source
),

classified AS (
    SELECT
        r.*,
        date_trunc('month', r.recorded_on)::DATE AS period_month,
        r.form = 'police_uk' AND r.offence_as_received = 'Anti-social behaviour' AS is_asb,
        og.offence_group,
        og.police_uk_category,
        row_number() OVER (PARTITION BY r._delivery_id, r.content_hash ORDER BY r._row_number) AS copy_number,
        count(DISTINCT r.content_hash) OVER (PARTITION BY r._delivery_id, r.crime_reference) AS key_versions,
        count(*) OVER (PARTITION BY r._delivery_id, date_trunc('month', r.recorded_on)) AS delivery_month_rows,
        count(*) OVER (PARTITION BY r._delivery_id) AS delivery_rows
    FROM renamed AS r
    LEFT JOIN ref.offence_groups AS og
        ON og.form = r.form AND og.source_value = r.offence_as_received
),

checked AS (
    SELECT
        *,
        CASE
            WHEN delivery_status = 'quarantined' THEN 'delivery_quarantined'
            WHEN recorded_on IS NULL THEN 'bad_date'
            WHEN recorded_on > getvariable('as_of') THEN 'future_date'
            WHEN delivery_month_rows < getvariable('period_min_share')['police_crime'] * delivery_rows THEN 'outside_period'
            WHEN offence_group IS NULL AND NOT is_asb THEN 'unknown_offence'
            WHEN lsoa_code IS NOT NULL AND NOT regexp_full_match(lsoa_code, '[EW]0[0-9]{7}') THEN 'bad_lsoa'
            WHEN form = 'restricted' AND (domestic_abuse IS NULL OR hate_crime IS NULL OR vawg IS NULL OR knife IS NULL)
                THEN 'bad_flag'
            WHEN form = 'restricted' AND crime_reference IS NULL THEN 'missing_reference'
            -- identical rows without a reference can be separate incidents: data.police.uk snaps
            -- locations to anonymised points and gives ASB no ID, so only keyed rows are duplicates
            WHEN copy_number > 1 AND crime_reference IS NOT NULL THEN 'duplicate_row'
            WHEN form = 'restricted' AND crime_reference IS NOT NULL AND key_versions > 1 THEN 'conflicting_key'
        END AS reject_code
    FROM classified
),

current_months AS (
    -- a month belongs to the latest usable delivery holding valid rows for it: a resubmitted
    -- month replaces the earlier delivery's rows for that month (they stay here, not current)
    SELECT period_month, max(_delivery_id) AS current_delivery_id
    FROM checked
    WHERE reject_code IS NULL
    GROUP BY period_month
),

final AS (
    SELECT
        'police_crime' AS source,
        c._delivery_id, c._source_file, c._checksum, c._row_number, c.form,
        c.crime_reference, c.recorded_on AS recorded_date, c.period_month AS month, c.offence_group, c.police_uk_category, c.is_asb,
        c.ho_offence_code, c.lsoa_code, c.falls_within,
        c.domestic_abuse, c.hate_crime, c.hate_strand, c.vawg, c.knife, c.victim_age_band, c.victim_sex,
        CASE
            WHEN c.lsoa_code IS NULL THEN 'no location'
            WHEN l.lad_code IS NULL THEN 'outside area'
            ELSE 'in area'
        END AS geography,
        l.lad_code,
        c.reject_code,
        CASE c.reject_code
            WHEN 'delivery_quarantined' THEN 'the whole delivery was quarantined: ' || c.delivery_reason
            WHEN 'bad_date' THEN 'date ''' || coalesce(c.date_as_received, '') || ''' is missing or not a date (expected YYYY-MM-DD or DD/MM/YYYY)'
            WHEN 'future_date' THEN 'dated ' || strftime(c.recorded_on, '%d/%m/%Y') || ', after the run date ' || strftime(getvariable('as_of'), '%d/%m/%Y')
            WHEN 'outside_period' THEN 'dated ' || strftime(c.recorded_on, '%B %Y') || ', a month this delivery otherwise does not cover (' || c.delivery_month_rows || ' of ' || c.delivery_rows || ' rows)'
            WHEN 'unknown_offence' THEN 'offence ''' || coalesce(c.offence_as_received, '') || ''' is not a recognised offence group'
            WHEN 'bad_lsoa' THEN 'LSOA code ''' || c.lsoa_code || ''' is not a valid LSOA code'
            WHEN 'bad_flag' THEN 'a domestic abuse / hate crime / VAWG / knife flag is missing or not Y/N'
            WHEN 'missing_reference' THEN 'crime reference is missing'
            WHEN 'duplicate_row' THEN 'exact copy of an earlier row in the same file'
            WHEN 'conflicting_key' THEN 'crime reference ''' || c.crime_reference || ''' appears ' || c.key_versions || ' times with different content; none of them is used'
        END AS reject_reason,
        c.reject_code IS NULL AND c._delivery_id = m.current_delivery_id AS is_current
    FROM checked AS c
    LEFT JOIN current_months AS m USING (period_month)
    LEFT JOIN ref.lsoa_district AS l ON l.lsoa_code = c.lsoa_code
)

SELECT * FROM final;
