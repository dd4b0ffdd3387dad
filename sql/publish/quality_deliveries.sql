-- Every delivery for the data-quality report: counts, how it was read, its reason and warnings, and
-- its quarantined rows by reason (with up to ten row numbers for the partner to find them). A file filed in
-- the wrong folder (dq.deliveries' loaded_in) was moved to its right one later, or is a copy of a file loaded
-- there before (moved_copy); either way the report counts its rows there only. A data.police.uk street file's
-- "Anti-social behaviour" rows are ASB incidents too (staging.asb_checked): how many, and how many
-- are in months a restricted ASB delivery holds (whose rows ASB counts use instead), and how many the ASB counts use. A population delivery's
-- current rows for a mid-year other than the settings' population_mid_year are in no rate (other_mid_years).
WITH asb_rows AS (
    SELECT _delivery_id AS delivery_id, count(*) AS rows_asb,
           count(*) FILTER (WHERE month IN (SELECT month FROM staging.asb_restricted_checked WHERE is_current))
               AS rows_asb_held,
           -- in the ASB counts: current (not replaced by a later file) and in no month a restricted delivery holds
           count(*) FILTER (WHERE is_current) AS rows_asb_counted
    FROM staging.asb_checked
    WHERE form = 'police_uk' AND reject_code IS NULL
    GROUP BY ALL
),

other_mid_years AS (
    SELECT _delivery_id AS delivery_id, count(*) AS rows_other_mid_year,
           list(DISTINCT mid_year ORDER BY mid_year) AS other_mid_years
    FROM staging.population_checked
    WHERE is_current AND mid_year <> getvariable('population_mid_year')
    GROUP BY ALL
),

outside_names AS (
    -- the district names a youth offending return or a hospital extract by district gave for its rows outside the
    -- area, up to five per delivery with their rows: one of the area's own districts misspelt ('Tunbridge Wells
    -- Borough') reads as a place outside it, so the nearest district name is given where the two are close
    SELECT delivery_id, list({'name': name, 'rows': rows, 'nearest': nearest} ORDER BY rows DESC, name)[1:5] AS names,
           count(*) AS name_count
    FROM (
        SELECT
            o.delivery_id, o.name, count(*) AS rows,
            (SELECT arg_max(d.lad_name, jaro_winkler_similarity(district_key(o.name), district_key(d.lad_name)))
             FROM ref.districts AS d
             WHERE jaro_winkler_similarity(district_key(o.name), district_key(d.lad_name)) >= 0.9) AS nearest
        FROM (
            SELECT _delivery_id AS delivery_id, district AS name FROM staging.youth_offending_checked
            WHERE reject_code IS NULL AND geography = 'outside area' AND district IS NOT NULL
            UNION ALL
            SELECT _delivery_id, district FROM staging.hospital_admissions_checked
            WHERE reject_code IS NULL AND geography = 'outside area' AND district IS NOT NULL
        ) AS o
        GROUP BY ALL
    )
    GROUP BY ALL
),

reasons AS (
    SELECT
        delivery_id,
        list({'code': reject_code, 'rows': rows, 'example': example, 'row_numbers': row_numbers}
             ORDER BY rows DESC, reject_code) AS reasons
    FROM (
        SELECT delivery_id, reject_code, count(*) AS rows, min(reject_reason) AS example,
               list(row_number ORDER BY row_number)[1:10] AS row_numbers
        FROM dq.quarantined_rows
        WHERE reject_code <> 'delivery_quarantined' AND reject_code <> 'unrecognised_layout'
        GROUP BY ALL
    )
    GROUP BY ALL
)

SELECT
    d.delivery_id, d.source, d.file_name, d.form, d.file_type, d.received_at, d.status, d.reason, d.warnings,
    d.blank_rows, d.rows_received, d.rows_loaded, d.rows_quarantined, d.rows_current, d.rows_no_location,
    d.rows_outside_area, coalesce(o.names, []) AS outside_names, coalesce(o.name_count, 0) AS outside_name_count, coalesce(a.rows_asb, 0) AS rows_asb, coalesce(a.rows_asb_held, 0) AS rows_asb_held,
    coalesce(a.rows_asb_counted, 0) AS rows_asb_counted,
    d.first_month, d.last_month, d.balanced, coalesce(r.reasons, []) AS reasons, d.loaded_in AS moved_to,
    d.loaded_as AS moved_as, d.loaded_as < d.delivery_id AS moved_copy,
    coalesce(m.rows_other_mid_year, 0) AS rows_other_mid_year, m.other_mid_years,
    getvariable('population_mid_year') AS population_mid_year
FROM dq.deliveries AS d
LEFT JOIN reasons AS r USING (delivery_id)
LEFT JOIN outside_names AS o ON o.delivery_id = d.delivery_id
LEFT JOIN other_mid_years AS m ON m.delivery_id = d.delivery_id AND d.source = 'population'
LEFT JOIN asb_rows AS a ON a.delivery_id = d.delivery_id AND d.source = 'police_crime'
ORDER BY d.source, d.delivery_id;
