-- materialized: incremental by delivery (transforms/build.py): every check here is per delivery or per month
-- staging.fire_incidents_checked: every landed fire and rescue incident with its outcome. Motive is
-- recorded for fires only: empty for a false alarm or special service (NULL), and a fire with no
-- motive counts as Unknown.
CREATE OR REPLACE TABLE staging.fire_incidents_checked AS
WITH source AS (
    SELECT
        r.*, d.form, d.status AS delivery_status, d.reason AS delivery_reason,
        hash(r.incident_number, r.incident_datetime, r.incident_type, r.motive, r.property_type,
            r.lsoa_code) AS content_hash
    FROM raw.fire_incidents AS r
    JOIN meta.deliveries AS d ON d.delivery_id = r._delivery_id
    WHERE in_build(r._delivery_id)
),

renamed AS (
    SELECT
        _delivery_id, _source_file, _checksum, _row_number, form, delivery_status, delivery_reason, content_hash,
        text_value(incident_number) AS incident_number,
        trim(incident_datetime) AS date_as_received,
        parse_timestamp(incident_datetime) AS incident_datetime,
        text_value(incident_type) AS incident_type,
        text_value(motive) AS motive_as_received,
        text_value(property_type) AS property_type,
        code_value(lsoa_code) AS lsoa_code
    FROM source
),

prepared AS (
    -- the columns checked_rows() reads, and the incident checks
    SELECT
        r.*,
        CASE
            WHEN r.incident_type IN ('Primary fire', 'Secondary fire') THEN coalesce(r.motive_as_received, 'Unknown')
            ELSE r.motive_as_received
        END AS motive,
        r.property_type = 'Dwelling' AS is_dwelling,
        l.lad_code,
        r.incident_datetime::DATE AS event_date,
        r.lsoa_code AS place_as_received,
        NULL AS replace_scope,
        r.incident_number AS record_key,
        true AS key_required,
        true AS key_unique,
        CASE
            WHEN NOT is_allowed('fire_incidents.incident_type', r.incident_type) THEN 'unknown_incident_type'
            WHEN r.motive_as_received IS NOT NULL AND NOT is_allowed('fire_incidents.motive', r.motive_as_received)
                THEN 'unknown_motive'
            WHEN r.property_type IS NOT NULL AND NOT is_allowed('fire_incidents.property_type', r.property_type)
                THEN 'unknown_property_type'
            WHEN r.lsoa_code IS NOT NULL AND NOT matches_pattern('lsoa', r.lsoa_code) THEN 'bad_lsoa'
        END AS row_reject_code,
        CASE row_reject_code
            WHEN 'unknown_incident_type' THEN 'incident type ''' || coalesce(r.incident_type, '') || ''' is not one of: '
                                              || allowed_list('fire_incidents.incident_type')
            WHEN 'unknown_motive' THEN 'motive ''' || r.motive_as_received || ''' is not one of: '
                                       || allowed_list('fire_incidents.motive')
            WHEN 'unknown_property_type' THEN 'property type ''' || r.property_type || ''' is not one of: '
                                              || allowed_list('fire_incidents.property_type')
            WHEN 'bad_lsoa' THEN 'LSOA code ''' || r.lsoa_code || ''' is not a valid LSOA code'
        END AS row_reject_reason
    FROM renamed AS r
    LEFT JOIN ref.lsoa_district AS l ON l.lsoa_code = r.lsoa_code
),

checked AS (
    SELECT * FROM checked_rows('prepared', 'fire_incidents', 'incident number')
),

final AS (
    SELECT
        source, _delivery_id, _source_file, _checksum, _row_number, form,
        incident_number, incident_datetime, month, incident_type, motive, property_type, is_dwelling,
        lsoa_code, lad_code, geography, reject_code, reject_reason, is_current, delivery_status, delivery_reason
    FROM checked
)

SELECT * FROM final;
