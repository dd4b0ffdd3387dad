-- Has this exact file (same bytes) already arrived for this source?
SELECT delivery_id, status, file_name
FROM meta.deliveries
WHERE source = $source AND checksum = $checksum
ORDER BY delivery_id
LIMIT 1;
