-- The rows of the landing file that could not be split into the header's fields: (row number, whether
-- the row is blank, whether a quoted value in it is not closed on its line).
SELECT _row_number, is_blank, quote_not_closed FROM landing_malformed ORDER BY _row_number;
