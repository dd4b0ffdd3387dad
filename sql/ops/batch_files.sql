-- The files of the batch that read cleanly, with their data rows. A file with a rejected line (it does
-- not split, or is not UTF-8) or a blank row is left out: the per-file reader lands it again and
-- explains it row by row. A file with no data rows has no row in batch_counts.
WITH rejected AS (
    SELECT DISTINCT s.file_path
    FROM batch_rejects AS r
    JOIN batch_scans AS s USING (scan_id, file_id)
)

SELECT _file_path, data_rows
FROM batch_counts
WHERE blank_rows = 0 AND _file_path NOT IN (SELECT file_path FROM rejected);
