-- Deliveries landed by this run whose rows a later delivery of the same run replaced, in part or
-- whole: files landed together are taken in the order of their file times (then names), so where
-- those times do not show the order the files arrived in, the wrong one may be current. The later
-- files named are those of the same source whose months overlap its own (the ones that can have
-- replaced it), not every later file.
WITH landed AS (
    SELECT delivery_id, source, file_name, rows_loaded, rows_current, first_month, last_month
    FROM dq.deliveries
    WHERE run_id = $run_id AND status = 'loaded'
),

replacing AS (
    SELECT l.delivery_id, string_agg(o.file_name, ', ' ORDER BY o.delivery_id) AS later_files
    FROM landed AS l
    JOIN landed AS o
      ON o.source = l.source AND o.delivery_id > l.delivery_id
     AND o.first_month <= l.last_month AND o.last_month >= l.first_month
    GROUP BY l.delivery_id
)

SELECT l.source, l.file_name, l.rows_loaded - l.rows_current AS rows_replaced, r.later_files
FROM landed AS l
JOIN replacing AS r USING (delivery_id)
WHERE l.rows_current < l.rows_loaded
ORDER BY l.source, l.delivery_id;
