-- Deliveries landed by this run whose rows a later delivery of the same run replaced, in part or
-- whole: files landed together are taken in the order of their file times (then names), so where
-- those times do not show the order the files arrived in, the wrong one may be current.
WITH landed AS (
    SELECT delivery_id, source, file_name, rows_loaded, rows_current
    FROM dq.deliveries
    WHERE run_id = $run_id AND status = 'loaded'
)

SELECT
    l.source,
    l.file_name,
    l.rows_loaded - l.rows_current AS rows_replaced,
    (SELECT string_agg(o.file_name, ', ' ORDER BY o.delivery_id) FROM landed AS o
     WHERE o.source = l.source AND o.delivery_id > l.delivery_id) AS later_files
FROM landed AS l
WHERE l.rows_current < l.rows_loaded
  AND EXISTS (SELECT 1 FROM landed AS o WHERE o.source = l.source AND o.delivery_id > l.delivery_id)
ORDER BY l.source, l.delivery_id;
