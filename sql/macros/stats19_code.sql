-- stats19_code(text): a DfT STATS19 code as an integer. The DfT writes -1 for "missing"; that, a
-- blank and anything that is not a whole number are NULL.
CREATE OR REPLACE MACRO stats19_code(value) AS nullif(try_cast(nullif(trim(value), '') AS INTEGER), -1);
