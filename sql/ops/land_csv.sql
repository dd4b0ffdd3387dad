-- Read one delivery file as text, keeping the file's own headers and each data row's number.
-- Without an ORDER BY, row_number() follows the scan, which keeps file order
-- (preserve_insertion_order is on by default).
CREATE OR REPLACE TEMP TABLE landing AS
SELECT row_number() OVER () AS _row_number, *
FROM read_csv($path, all_varchar = true, header = true, auto_detect = true);
