-- Read a run of plain CSV deliveries with the same header ($columns) in one multi-file scan, as
-- sql/ops/land_csv.sql reads one (every value as text, the layout fixed, rejected lines recorded rather
-- than failing the scan), keeping only each file's count of data rows and of blank rows: the rows
-- themselves are read again when landed (land_batch.sql), so none is held here. A blank row has nothing
-- but spaces in any field (trim(concat_ws(...)) = '', as drop_blank_rows.sql); a row whose first
-- non-null field holds more than spaces is not blank, so the concatenation runs only for the others.
CREATE OR REPLACE TEMP TABLE batch_counts AS
SELECT
    _file_path,
    count(*) AS data_rows,
    count(*) FILTER (WHERE CASE
        WHEN trim(coalesce(*COLUMNS(* EXCLUDE (_file_path)), '')) <> '' THEN false
        ELSE trim(concat_ws('', *COLUMNS(* EXCLUDE (_file_path)))) = ''
    END) AS blank_rows
FROM read_csv($paths, columns = $columns, header = true, auto_detect = false, delim = ',', quote = '"',
              escape = '"', filename = '_file_path', store_rejects = true, rejects_table = 'batch_rejects',
              rejects_scan = 'batch_scans')
GROUP BY _file_path;
