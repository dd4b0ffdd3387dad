-- Every delivery for the data-quality report: counts, how it was read, its reason and warnings, and
-- its quarantined rows by reason (with up to ten row numbers for the partner to find them). A file
-- quarantined whole in one source whose bytes later loaded in another was moved to its right folder
-- (moved_to, moved_as): the report counts its rows there only.
WITH moved AS (
    SELECT d.delivery_id, min_by(e.source, e.delivery_id) AS moved_to, min(e.delivery_id) AS moved_as
    FROM dq.deliveries AS d
    JOIN dq.deliveries AS e
        ON e.checksum = d.checksum AND e.source <> d.source AND e.status = 'loaded' AND e.delivery_id > d.delivery_id
    WHERE d.status = 'quarantined'
    GROUP BY d.delivery_id
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
    d.rows_outside_area,
    d.first_month, d.last_month, d.balanced, coalesce(r.reasons, []) AS reasons, m.moved_to, m.moved_as
FROM dq.deliveries AS d
LEFT JOIN reasons AS r USING (delivery_id)
LEFT JOIN moved AS m USING (delivery_id)
ORDER BY d.source, d.delivery_id;
