-- Has this exact file (same bytes) already arrived for this source? The latest delivery of those bytes,
-- and whether later deliveries have since replaced any of its rows (as of the last build): bytes sent
-- again after a correction are the latest delivery again (as a build from the raw folder as it is
-- would take them), not a copy to skip. Not so where the file's name last held these very bytes: that is
-- the file as it was, unchanged at its name, found by its checksum only because its path or time is new (a
-- raw folder moved or copied), and landing it again would undo the correction that replaced it; nor where
-- a file of this name and these bytes was found before to be a copy (meta.copies): the copy, moved.
WITH at_name AS (
    SELECT checksum FROM meta.deliveries
    WHERE source = $source AND file_name = $file_name
    ORDER BY delivery_id DESC
    LIMIT 1
),

copy_before AS (
    SELECT count(*) > 0 AS found FROM meta.copies
    WHERE source = $source AND file_name = $file_name AND checksum = $checksum
)

SELECT d.delivery_id, d.status, d.file_name,
       coalesce(q.rows_current < q.rows_loaded, false)
           AND d.checksum IS DISTINCT FROM (SELECT checksum FROM at_name)
           AND NOT (SELECT found FROM copy_before) AS replaced
FROM meta.deliveries AS d
LEFT JOIN dq.deliveries AS q USING (delivery_id)
WHERE d.source = $source AND d.checksum = $checksum
ORDER BY d.delivery_id DESC
LIMIT 1;
