-- dq.deliveries: every delivery of every source with rows received, loaded and quarantined, and
-- whether they balance (the balance model fails the build when one does not). Rows loaded may later stop being current when a resubmission replaces
-- their month (rows_current). Status and reason are the ingest's (meta.deliveries), or the row checks'
-- when they quarantined a delivery the ingest loaded (too many rows failing a check). A delivery quarantined
-- whole in one source whose bytes loaded in another was filed in the wrong folder (loaded_in, loaded_as):
-- moved to its right one later, or a copy of a file loaded there before (loaded_as < delivery_id). Its rows
-- count where they loaded only: every summary of the deliveries leaves it out of its counts.
CREATE OR REPLACE TABLE dq.deliveries AS
WITH deliveries AS (
    SELECT * FROM meta.deliveries
),

checked_rows AS (
    -- a row counts in its own source's checked table only: data.police.uk ASB rows, landed once
    -- with their police_crime delivery, are also shown in staging.asb_checked
    SELECT
        source,
        _delivery_id AS delivery_id,
        count(*) FILTER (WHERE reject_code IS NULL) AS rows_loaded,
        count(*) FILTER (WHERE reject_code IS NOT NULL) AS rows_quarantined,
        count(*) FILTER (WHERE is_current) AS rows_current,
        count(*) FILTER (WHERE reject_code IS NULL AND geography = 'no location') AS rows_no_location,
        count(*) FILTER (WHERE reject_code IS NULL AND geography = 'outside area') AS rows_outside_area,
        -- the delivery's outcome once its rows were checked: a delivery the ingest loaded is quarantined
        -- whole when more of its rows fail a check than its contract allows (checked_rows())
        any_value(delivery_status) AS checked_status,
        any_value(delivery_reason) AS checked_reason,
        min(month) FILTER (WHERE reject_code IS NULL) AS first_month,
        -- the last month the rows cover: a quarterly source's rows are dated at the quarter's first month
        (max(month) FILTER (WHERE reject_code IS NULL)
            + to_months(coalesce(getvariable('period_months')[source], 1) - 1))::DATE AS last_month
    FROM query_table(getvariable('checked_tables'), true)
    GROUP BY source, _delivery_id
),

unrecognised AS (
    -- rows of deliveries whose layout matched no form, and rows that could not be split into the
    -- header's fields: quarantined before they reached a checked table
    SELECT delivery_id, count(*) AS rows_quarantined
    FROM (
        SELECT _delivery_id AS delivery_id FROM raw.unrecognised_rows
        UNION ALL
        SELECT _delivery_id FROM raw.malformed_rows
    )
    GROUP BY ALL
),

final AS (
    SELECT
        d.delivery_id, d.source, d.file_name, d.form, d.file_type, d.checksum, d.received_at, d.run_id,
        coalesce(c.checked_status, d.status) AS status,
        coalesce(c.checked_reason, d.reason) AS reason,
        d.warnings, d.extra_columns, d.blank_rows, d.rows_received,
        coalesce(c.rows_loaded, 0) AS rows_loaded,
        coalesce(c.rows_quarantined, 0) + coalesce(u.rows_quarantined, 0) AS rows_quarantined,
        coalesce(c.rows_current, 0) AS rows_current,
        coalesce(c.rows_no_location, 0) AS rows_no_location,
        coalesce(c.rows_outside_area, 0) AS rows_outside_area,
        c.first_month,
        c.last_month
    FROM deliveries AS d
    LEFT JOIN checked_rows AS c ON c.delivery_id = d.delivery_id AND c.source = d.source
    LEFT JOIN unrecognised AS u ON u.delivery_id = d.delivery_id
),

filed_elsewhere AS (
    SELECT f.delivery_id, min_by(e.source, e.delivery_id) AS loaded_in, min(e.delivery_id) AS loaded_as
    FROM final AS f
    JOIN final AS e ON e.checksum = f.checksum AND e.source <> f.source AND e.status = 'loaded'
    WHERE f.status = 'quarantined'
    GROUP BY f.delivery_id
)

SELECT f.*, f.rows_received = f.rows_loaded + f.rows_quarantined AS balanced, w.loaded_in, w.loaded_as
FROM final AS f
LEFT JOIN filed_elsewhere AS w USING (delivery_id)
ORDER BY delivery_id;
