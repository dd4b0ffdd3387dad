-- The files of a source already registered, by path, size and modification time, with their checksum:
-- a file found again unchanged on all three is not read again to checksum it.
SELECT file_path, size_bytes, modified_ns, checksum
FROM meta.deliveries
WHERE source = $source AND modified_ns IS NOT NULL;
