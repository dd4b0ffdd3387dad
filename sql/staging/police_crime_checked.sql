-- materialized: incremental by delivery (transforms/build.py): every check here is per delivery or per month
-- staging.police_crime_checked: every landed police crime row with its outcome. A row is either
-- valid (reject_code NULL) or quarantined with a reason code and a reason in words; valid rows of
-- a month that a later delivery resubmitted are kept but not current. Nothing is dropped here.
-- The checks every source shares (dates, period, keys, duplicates, resubmissions) are in
-- sql/macros/checked_rows.sql; this file holds the police crime ones.
CREATE OR REPLACE TABLE staging.police_crime_checked AS
-- NOT MATERIALIZED: checked_rows() reads `prepared` several times, and DuckDB would otherwise write
-- one of these wide CTEs out whole (19.8 M rows nationally spilled ~7 GB to disk); reading raw again
-- for each is cheaper.
WITH source AS NOT MATERIALIZED (
    SELECT
        r.*, d.form, d.status AS delivery_status, d.reason AS delivery_reason,
        -- the row's content as received, to find exact duplicates and keys repeated with different content
        hash(r.crime_reference, r.recorded_date, r.month, r.ho_offence_code, r.offence_group,
            r.crime_type, r.lsoa_code, r.longitude, r.latitude, r.location, r.last_outcome, r.context,
            r.domestic_abuse, r.hate_crime, r.hate_strand, r.vawg, r.knife, r.victim_age_band,
            r.victim_sex) AS content_hash
    FROM raw.police_crime AS r
    JOIN meta.deliveries AS d ON d.delivery_id = r._delivery_id
    WHERE in_build(r._delivery_id)
),

renamed AS NOT MATERIALIZED (
    SELECT
        _delivery_id, _source_file, _checksum, _row_number, form, delivery_status, delivery_reason,
        text_value(crime_reference) AS crime_reference,
        CASE form WHEN 'police_uk' THEN trim(month) ELSE trim(recorded_date) END AS date_as_received,
        CASE form
            WHEN 'police_uk' THEN month_start(month)
            ELSE parse_timestamp(recorded_date)::DATE
        END AS recorded_on,
        CASE form WHEN 'police_uk' THEN trim(crime_type) ELSE trim(offence_group) END AS offence_as_received,
        text_value(ho_offence_code) AS ho_offence_code,
        code_value(lsoa_code) AS lsoa_code,
        text_value(falls_within) AS falls_within,
        CASE code_value(domestic_abuse) WHEN 'Y' THEN true WHEN 'N' THEN false END AS domestic_abuse,
        CASE code_value(hate_crime) WHEN 'Y' THEN true WHEN 'N' THEN false END AS hate_crime,
        text_value(hate_strand) AS hate_strand,
        CASE code_value(vawg) WHEN 'Y' THEN true WHEN 'N' THEN false END AS vawg,
        CASE code_value(knife) WHEN 'Y' THEN true WHEN 'N' THEN false END AS knife,
        text_value(victim_age_band) AS victim_age_band,
        text_value(victim_sex) AS victim_sex,
        content_hash
    FROM source
),

classified AS NOT MATERIALIZED (
    SELECT
        r.*,
        r.form = 'police_uk' AND r.offence_as_received = 'Anti-social behaviour' AS is_asb,
        og.offence_group,
        og.police_uk_category,
        l.lad_code
    FROM renamed AS r
    LEFT JOIN ref.offence_groups AS og
        ON og.form = r.form AND og.source_value = r.offence_as_received
    LEFT JOIN ref.lsoa_district AS l ON l.lsoa_code = r.lsoa_code
),

prepared AS NOT MATERIALIZED (
    -- the columns checked_rows() reads, and the police crime checks
    SELECT
        *,
        recorded_on AS event_date,
        lsoa_code AS place_as_received,
        -- a delivery replaces its force's month only: the restricted extract is the area's force's, as
        -- is its data.police.uk file, and another force's file (British Transport Police) is counted too.
        -- A data.police.uk file's ASB rows only by a later data.police.uk file: the restricted crime extract
        -- holds no ASB (a restricted ASB delivery takes their month, in the ASB source's own view)
        CASE form WHEN 'police_uk' THEN coalesce(falls_within, getvariable('police_force'))
            ELSE getvariable('police_force') END || CASE WHEN is_asb THEN ' (anti-social behaviour)' ELSE '' END
            AS replace_scope,
        crime_reference AS record_key,
        -- data.police.uk Crime IDs are not guaranteed unique and ASB rows have none
        form = 'restricted' AS key_required,
        form = 'restricted' AS key_unique,
        CASE
            WHEN offence_group IS NULL AND NOT is_asb THEN 'unknown_offence'
            WHEN lsoa_code IS NOT NULL AND NOT matches_pattern('lsoa', lsoa_code) THEN 'bad_lsoa'
            WHEN form = 'restricted' AND (domestic_abuse IS NULL OR hate_crime IS NULL OR vawg IS NULL OR knife IS NULL)
                THEN 'bad_flag'
            -- the restricted extract's descriptive values, as the contract allows them (trimmed, in its
            -- case, as every source's allowed values): a value outside them would drop out of the measures
            -- filtered on them (race hate crime, knife crime with a victim under 18) unseen. Blank = not recorded
            WHEN form = 'restricted' AND hate_strand IS NOT NULL AND NOT is_allowed('police_crime.hate_strand', hate_strand)
                THEN 'unknown_hate_strand'
            WHEN form = 'restricted' AND victim_age_band IS NOT NULL
                 AND NOT is_allowed('police_crime.victim_age_band', victim_age_band) THEN 'unknown_victim_age_band'
            WHEN form = 'restricted' AND victim_sex IS NOT NULL AND NOT is_allowed('police_crime.victim_sex', victim_sex)
                THEN 'unknown_victim_sex'
        END AS row_reject_code,
        CASE row_reject_code
            WHEN 'unknown_offence' THEN CASE WHEN coalesce(offence_as_received, '') = '' THEN 'no offence group given'
                ELSE 'offence ''' || offence_as_received || ''' is not a recognised offence group' END
            WHEN 'bad_lsoa' THEN 'LSOA code ''' || lsoa_code || ''' is not a valid LSOA code'
            WHEN 'bad_flag' THEN 'a domestic abuse / hate crime / VAWG / knife flag is missing or not Y/N'
            WHEN 'unknown_hate_strand' THEN 'hate strand ''' || hate_strand || ''' is not one of: '
                                            || allowed_list('police_crime.hate_strand')
            WHEN 'unknown_victim_age_band' THEN 'victim age band ''' || victim_age_band || ''' is not one of: '
                                                || allowed_list('police_crime.victim_age_band')
            WHEN 'unknown_victim_sex' THEN 'victim sex ''' || victim_sex || ''' is not one of: '
                                           || allowed_list('police_crime.victim_sex')
        END AS row_reject_reason
    FROM classified
),

checked AS (
    SELECT * FROM checked_rows('prepared', 'police_crime', 'crime reference')
),

final AS (
    SELECT
        source, _delivery_id, _source_file, _checksum, _row_number, form,
        crime_reference, recorded_on AS recorded_date, month, offence_group, police_uk_category, is_asb,
        ho_offence_code, lsoa_code, falls_within,
        domestic_abuse, hate_crime, hate_strand, vawg, knife, victim_age_band, victim_sex,
        geography, lad_code, reject_code, reject_reason, is_current, delivery_status, delivery_reason
    FROM checked
)

SELECT * FROM final;
