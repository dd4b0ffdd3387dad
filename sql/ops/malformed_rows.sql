-- The rows of the landing file that could not be split into the header's fields: (row number, whether
-- the row is blank).
SELECT _row_number, is_blank FROM landing_malformed ORDER BY _row_number;
