-- Read a run of plain CSV deliveries with the same header ($columns) in one multi-file scan, as
-- sql/ops/land_csv.sql reads one: every value as text, the layout fixed, rejected lines recorded
-- rather than failing the scan. The scan keeps file order and each file's row order, so a row's
-- data row number is its place in the read less the place of its file's first row (batch_files.sql).
CREATE OR REPLACE TEMP TABLE batch_read AS
SELECT row_number() OVER () AS _read_order, *
FROM read_csv($paths, columns = $columns, header = true, auto_detect = false, delim = ',', quote = '"',
              escape = '"', filename = '_file_path', store_rejects = true, rejects_table = 'batch_rejects',
              rejects_scan = 'batch_scans');
