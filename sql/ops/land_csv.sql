-- Read one delivery file (UTF-8) as text under the file's own headers ($columns, read from its first
-- line), in file order. The layout is fixed (comma, double quotes) rather than sniffed: sniffing
-- misreads short or cut files. A row DuckDB cannot split into the header's fields (too few or too
-- many, a quote never closed) goes to landing_rejects with its line instead of failing the file.
-- Without an ORDER BY, row_number() follows the scan, which keeps file order
-- (preserve_insertion_order is on by default).
CREATE OR REPLACE TEMP TABLE landing_read AS
SELECT row_number() OVER () AS _read_order, *
FROM read_csv($path, columns = $columns, header = true, auto_detect = false, delim = ',', quote = '"',
              escape = '"', store_rejects = true, rejects_table = 'landing_rejects', rejects_scan = 'landing_scans');
