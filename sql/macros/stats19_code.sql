-- stats19_code(text): a DfT STATS19 code as an integer. The DfT writes -1 for "missing"; that, a
-- blank and anything that is not a whole number
-- (whole_number, sql/macros/read_as.sql: not 1.5, which a cast would round to 2) are NULL.
CREATE OR REPLACE MACRO stats19_code(value) AS nullif(try_cast(whole_number(value) AS INTEGER), -1);
