-- What the row checks made of each delivery this run landed and the ingest loaded, when they quarantined
-- any of its rows: its status after the checks (quarantined whole when more rows failed a check than its
-- contract allows), rows received and quarantined, and the reason most of them have, with an example.
WITH landed AS (
    SELECT q.delivery_id, q.source, q.file_name, q.status, q.reason, q.rows_received, q.rows_quarantined
    FROM dq.deliveries AS q
    JOIN meta.deliveries AS d USING (delivery_id)
    WHERE d.run_id = $run_id AND d.status = 'loaded' AND q.rows_quarantined > 0
),

reasons AS (
    SELECT delivery_id, reject_code, count(*) AS rows, min(reject_reason) AS example
    FROM dq.quarantined_rows
    WHERE delivery_id IN (SELECT delivery_id FROM landed) AND reject_code <> 'delivery_quarantined'
    GROUP BY delivery_id, reject_code
    QUALIFY row_number() OVER (PARTITION BY delivery_id ORDER BY count(*) DESC, reject_code) = 1
)

SELECT l.source, l.file_name, l.status, l.reason, l.rows_received, l.rows_quarantined,
       r.reject_code AS main_code, r.rows AS main_rows, r.example
FROM landed AS l
LEFT JOIN reasons AS r USING (delivery_id)
ORDER BY l.source, l.delivery_id;
