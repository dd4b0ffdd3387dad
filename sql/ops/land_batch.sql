-- batch_rows(paths, file_columns): the rows of the batch's clean files (batch_files.sql), read again with
-- count_batch.sql's layout, with each row's delivery (batch_deliveries.sql) and its data row number in
-- its file. The scan keeps file order and each file's row order (and row_number() without an ORDER BY
-- follows the scan), so a row's number is its place in the read less the rows of the files before
-- its own. No rejects are stored: these files read cleanly once, so a line failing now fails the
-- batch's transaction rather than shifting the numbers.
CREATE OR REPLACE TEMP MACRO batch_rows(paths, file_columns) AS TABLE
SELECT
    d.delivery_id AS _delivery_id,
    d.file_name AS _source_file,
    d.checksum AS _checksum,
    r._read_order - d.rows_before AS _row_number,
    r.* EXCLUDE (_read_order, _file_path)
FROM (
    SELECT row_number() OVER () AS _read_order, *
    FROM read_csv(paths, columns = file_columns, header = true, auto_detect = false, delim = ',', quote = '"',
                  escape = '"', filename = '_file_path')
) AS r
JOIN batch_deliveries AS d USING (_file_path);
