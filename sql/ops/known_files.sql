-- The files of a source already registered, by path, size and modification time, with their checksum
-- and the latest delivery of those bytes (as ops/find_delivery.sql): a file found again
-- unchanged on all three is not read again to checksum it, nor looked up again.
WITH source_deliveries AS (
    SELECT * FROM meta.deliveries WHERE source = $source
),

latest_of_bytes AS (
    SELECT
        checksum,
        max(delivery_id) AS delivery_id,
        arg_max(status, delivery_id) AS status,
        arg_max(file_name, delivery_id) AS file_name
    FROM source_deliveries
    GROUP BY checksum
)

SELECT d.file_path, d.size_bytes, d.modified_ns, d.checksum, f.delivery_id, f.status, f.file_name
FROM source_deliveries AS d
JOIN latest_of_bytes AS f USING (checksum)
WHERE d.modified_ns IS NOT NULL;
