-- The files of a source already registered, by path, size and modification time, with their checksum,
-- the latest delivery of those bytes (as ops/find_delivery.sql) and whether the file is a copy of it not
-- read (meta.copies): a file found again unchanged on all three is not read again to checksum it, nor
-- looked up again, and a copy stays a copy.
WITH source_deliveries AS (
    SELECT * FROM meta.deliveries WHERE source = $source
),

files AS (
    SELECT file_path, size_bytes, modified_ns, checksum, false AS is_copy
    FROM source_deliveries
    WHERE modified_ns IS NOT NULL
    UNION ALL
    SELECT file_path, size_bytes, modified_ns, checksum, true AS is_copy
    FROM meta.copies
    WHERE source = $source
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

SELECT f.file_path, f.size_bytes, f.modified_ns, f.checksum, f.is_copy, d.delivery_id, d.status, d.file_name
FROM files AS f
JOIN latest_of_bytes AS d USING (checksum);
