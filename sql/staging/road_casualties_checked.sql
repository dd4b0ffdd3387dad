-- staging.road_casualties_checked: every landed STATS19 row, collision file and casualty file, with
-- its outcome. Both namings of the DfT layout (accident_* and collision_*) arrive in the same columns
-- through the contract's aliases. A collision is dated and placed by its own row (date, district);
-- a casualty takes both from its collision (joined on accident_index), so a casualty whose collision
-- is not loaded (or not valid) is quarantined as no_collision until its collision file arrives.
-- Codes are integers; the DfT's -1 ("missing") is NULL here.
CREATE OR REPLACE TABLE staging.road_casualties_checked AS
WITH source AS (
    SELECT
        r.*, d.form, d.status AS delivery_status, d.reason AS delivery_reason,
        hash(r.accident_index, r.accident_year, r.accident_reference, r.police_force,
            r.accident_severity, r.number_of_vehicles, r.number_of_casualties, r."date", r."time",
            r.local_authority_ons_district, r.local_authority_highway, r.lsoa_of_accident_location,
            r.longitude, r.latitude, r.speed_limit, r.urban_or_rural_area, r.collision_adjusted_severity_serious,
            r.collision_adjusted_severity_slight, r.vehicle_reference, r.casualty_reference, r.casualty_class,
            r.sex_of_casualty, r.age_of_casualty, r.age_band_of_casualty, r.casualty_severity, r.casualty_type,
            r.casualty_home_area_type, r.casualty_imd_decile, r.lsoa_of_casualty,
            r.casualty_adjusted_severity_serious, r.casualty_adjusted_severity_slight) AS content_hash
    FROM raw.road_casualties AS r
    JOIN meta.deliveries AS d ON d.delivery_id = r._delivery_id
    WHERE in_build(r._delivery_id)
),

renamed AS (
    SELECT
        _delivery_id, _source_file, _checksum, _row_number, form, delivery_status, delivery_reason, content_hash,
        text_value(accident_index) AS accident_index,
        stats19_code(police_force) AS police_force,
        trim(accident_severity) AS accident_severity_as_received,
        stats19_code(accident_severity) AS accident_severity,
        trim("date") AS date_as_received,
        parse_timestamp("date")::DATE AS collision_date,
        nullif(code_value(local_authority_ons_district), '-1') AS district_as_received,
        stats19_code(vehicle_reference) AS vehicle_reference,
        stats19_code(casualty_reference) AS casualty_reference,
        stats19_code(casualty_class) AS casualty_class,
        trim(casualty_severity) AS casualty_severity_as_received,
        stats19_code(casualty_severity) AS casualty_severity,
        stats19_code(casualty_type) AS casualty_type,
        stats19_code(age_band_of_casualty) AS age_band_of_casualty,
        stats19_code(sex_of_casualty) AS sex_of_casualty,
        text_value(casualty_adjusted_severity_serious) AS adjusted_serious_as_received,
        try_cast(text_value(casualty_adjusted_severity_serious) AS DOUBLE) AS casualty_adjusted_severity_serious
    FROM source
),

collisions AS (
    -- the columns checked_rows() reads, and the collision checks
    SELECT
        r.*,
        d.lad_code,
        r.collision_date AS event_date,
        r.district_as_received AS place_as_received,
        NULL AS replace_scope,
        r.accident_index AS record_key,
        true AS key_required,
        true AS key_unique,
        CASE
            WHEN NOT is_allowed('road_casualties.accident_severity', r.accident_severity_as_received) THEN 'bad_severity'
        END AS row_reject_code,
        CASE row_reject_code
            WHEN 'bad_severity' THEN 'collision severity ''' || coalesce(r.accident_severity_as_received, '')
                                     || ''' is not 1 (fatal), 2 (serious) or 3 (slight)'
        END AS row_reject_reason
    FROM renamed AS r
    LEFT JOIN ref.districts AS d ON d.lad_code = r.district_as_received
    WHERE r.form = 'collision'
),

collisions_checked AS (
    SELECT * FROM checked_rows('collisions', 'road_casualties', 'accident index', date_expected := 'DD/MM/YYYY')
),

current_collisions AS (
    -- the collision a casualty belongs to: its current valid row
    SELECT accident_index, collision_date, police_force, place_as_received, lad_code
    FROM collisions_checked
    WHERE is_current
    QUALIFY row_number() OVER (PARTITION BY accident_index ORDER BY _delivery_id DESC, _row_number) = 1
),

casualties AS (
    -- the columns checked_rows() reads, and the casualty checks
    SELECT
        r.* EXCLUDE (collision_date, police_force, date_as_received),
        c.collision_date,
        c.police_force,
        c.lad_code,
        c.collision_date AS event_date,
        strftime(c.collision_date, '%d/%m/%Y') AS date_as_received,
        c.place_as_received,
        NULL AS replace_scope,
        r.accident_index || '/' || r.vehicle_reference || '/' || r.casualty_reference AS record_key,
        true AS key_required,
        true AS key_unique,
        CASE
            WHEN c.accident_index IS NULL THEN 'no_collision'
            WHEN NOT is_allowed('road_casualties.casualty_severity', r.casualty_severity_as_received) THEN 'bad_severity'
            WHEN r.adjusted_serious_as_received IS NOT NULL
                 AND NOT coalesce(r.casualty_adjusted_severity_serious BETWEEN 0 AND 1, false) THEN 'bad_adjusted_severity'
        END AS row_reject_code,
        CASE row_reject_code
            WHEN 'no_collision' THEN 'no valid collision with accident index ''' || coalesce(r.accident_index, '')
                                     || ''' is loaded (has the collision file for its year arrived?)'
            WHEN 'bad_severity' THEN 'casualty severity ''' || coalesce(r.casualty_severity_as_received, '')
                                     || ''' is not 1 (fatal), 2 (serious) or 3 (slight)'
            WHEN 'bad_adjusted_severity' THEN 'adjusted serious severity ''' || r.adjusted_serious_as_received
                                              || ''' is not a probability between 0 and 1'
        END AS row_reject_reason
    FROM renamed AS r
    LEFT JOIN current_collisions AS c USING (accident_index)
    WHERE r.form = 'casualty'
),

casualties_checked AS (
    -- a casualty waiting for its collision file is no sign of a bad casualty file: not in the shares
    -- of rows that must pass each check
    SELECT * FROM checked_rows('casualties', 'road_casualties', 'casualty (accident index / vehicle / casualty reference)',
                               share_exempt := ['no_collision'])
),

final AS (
    SELECT
        source, _delivery_id, _source_file, _checksum, _row_number, form,
        accident_index, collision_date, month, police_force, accident_severity,
        vehicle_reference, casualty_reference, casualty_severity, casualty_class, casualty_type,
        age_band_of_casualty, sex_of_casualty, casualty_adjusted_severity_serious,
        lad_code, geography, reject_code, reject_reason, is_current, delivery_status, delivery_reason
    FROM collisions_checked
    UNION ALL BY NAME
    SELECT
        source, _delivery_id, _source_file, _checksum, _row_number, form,
        accident_index, collision_date, month, police_force, accident_severity,
        vehicle_reference, casualty_reference, casualty_severity, casualty_class, casualty_type,
        age_band_of_casualty, sex_of_casualty, casualty_adjusted_severity_serious,
        lad_code, geography, reject_code, reject_reason, is_current, delivery_status, delivery_reason
    FROM casualties_checked
)

SELECT * FROM final;
