-- The first row read (landing) with a value that holds a line break and at least a row's worth of separators
-- ($separators: the header's fields less one): a quote not closed on its line that ran on to a stray quote
-- closing it, where the row that makes has the header's number of fields, so DuckDB read it as a row and
-- the whole rows between the quotes went into one value (until this check, a delivery loaded 17 of its 20
-- rows without a word). A free-text value with line breaks and so many commas is not one these sources send.
-- Returned: its row number, the line of the file it begins on (the header's and the earlier rows' lines
-- counted, a malformed row's as received) and the line breaks in the value (the lines read into it).
WITH row_values AS (
    SELECT _row_number, list_value(*COLUMNS(* EXCLUDE (_row_number))) AS row_values FROM landing
),

run_on AS (
    SELECT _row_number,
           list_filter(row_values, lambda v: regexp_matches(v, '[\r\n]')
                                            AND len(v) - len(replace(v, ',', '')) >= $separators)[1] AS value
    FROM row_values
),

first_run_on AS (
    SELECT _row_number, value FROM run_on WHERE value IS NOT NULL ORDER BY _row_number LIMIT 1
),

lines_before AS (
    SELECT lines FROM landing_row_lines WHERE _row_number < (SELECT _row_number FROM first_run_on)
)

SELECT
    _row_number,
    2 + coalesce((SELECT sum(lines) FROM lines_before), 0) AS line,
    len(regexp_extract_all(value, '\r\n|\r|\n')) AS lines_after
FROM first_run_on;
