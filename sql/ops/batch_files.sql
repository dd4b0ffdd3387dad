-- The files of the batch that read cleanly: (path, data rows, read order of its first row). A file
-- with a rejected line (it does not split, or is not UTF-8) or a blank row is left out: the per-file
-- reader lands it again and explains it row by row. A file with no data rows has no rows here.
WITH rejected AS (
    SELECT DISTINCT s.file_path
    FROM batch_rejects AS r
    JOIN batch_scans AS s USING (scan_id, file_id)
),

read AS (
    SELECT
        _file_path,
        count(*) AS data_rows,
        min(_read_order) AS first_read,
        count(*) FILTER (WHERE trim(concat_ws('', *COLUMNS(* EXCLUDE (_read_order, _file_path)))) = '') AS blank_rows
    FROM batch_read
    GROUP BY _file_path
)

SELECT _file_path, data_rows, first_read
FROM read
WHERE blank_rows = 0 AND _file_path NOT IN (SELECT file_path FROM rejected);
