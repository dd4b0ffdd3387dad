-- Has this exact file (same bytes) already arrived for this source? The latest delivery of those bytes,
-- and whether later deliveries have since replaced any of its rows (as of the last build): bytes sent
-- again after a correction are the latest delivery again (as a build from the raw folder as it is
-- would take them), not a copy to skip.
SELECT d.delivery_id, d.status, d.file_name, coalesce(q.rows_current < q.rows_loaded, false) AS replaced
FROM meta.deliveries AS d
LEFT JOIN dq.deliveries AS q USING (delivery_id)
WHERE d.source = $source AND d.checksum = $checksum
ORDER BY d.delivery_id DESC
LIMIT 1;
