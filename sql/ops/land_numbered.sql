-- landing_malformed: the rows DuckDB could not split, one per data row (a row can fail more than one way),
-- numbered as data rows (DuckDB's line counts the header, and counts rows, not the line breaks inside
-- quoted values). landing: the rows read, each with its data row number in the file: the numbers 1..N
-- in order, skipping the malformed rows' numbers.
-- A row's first failure (by column) is its reason; a line too long to read (LINE SIZE OVER MAXIMUM)
-- names no column, so is taken as failing before the first. _byte_position is where the row begins in
-- the file, and quote_not_closed whether a quoted value in it is not closed on its line (which may have
-- run on over the lines after it: readers.py): rejected for a quote, or received as more than one line
-- (a quote run on to the next quote, which closes it, makes a row of too many or too few fields: until
-- the fuzz review such a file loaded, the rows between the quotes read as none).
CREATE OR REPLACE TEMP TABLE landing_malformed AS
SELECT
    line - 1 AS _row_number,
    arg_min(error_type, coalesce(column_idx, 0)) AS error_type,
    arg_min(error_message, coalesce(column_idx, 0)) AS error_message,
    any_value(trim(csv_line, chr(10) || chr(13))) AS line_as_received,
    min(line_byte_position) AS _byte_position,
    bool_or(error_type = 'UNQUOTED VALUE')
        OR regexp_matches(any_value(trim(csv_line, chr(10) || chr(13))), '[\r\n]') AS quote_not_closed,
    -- a line of only spaces, commas or quotes is a blank row with the wrong number of separators
    regexp_full_match(any_value(csv_line), '[\s,"]*') AS is_blank
FROM landing_rejects
GROUP BY line;

CREATE OR REPLACE TEMP TABLE landing AS
WITH numbers AS (
    SELECT range AS _row_number, row_number() OVER (ORDER BY range) AS _read_order
    FROM range(1, (SELECT count(*) FROM landing_read) + (SELECT count(*) FROM landing_malformed) + 1)
    WHERE range NOT IN (SELECT _row_number FROM landing_malformed)
)
SELECT n._row_number, r.* EXCLUDE (_read_order)
FROM landing_read AS r
JOIN numbers AS n USING (_read_order)
ORDER BY n._row_number;

-- landing_row_lines: the lines of the file each row takes, read or malformed (readers.py's accounts of a file's
-- lines: a quote not closed, a quote run on, lines not read): a row read one line plus the line breaks inside
-- its quoted values, a malformed row the lines it was received as. A view: blank rows dropped later leave it.
CREATE OR REPLACE TEMP VIEW landing_row_lines AS
WITH row_text AS (
    SELECT _row_number, concat_ws(' ', *COLUMNS(* EXCLUDE (_row_number))) AS text FROM landing
)

SELECT _row_number,
       1 + CASE WHEN regexp_matches(text, '[\r\n]') THEN len(regexp_extract_all(text, '\r\n|\r|\n')) ELSE 0 END
           AS lines
FROM row_text
UNION ALL
SELECT _row_number, 1 + len(regexp_extract_all(coalesce(line_as_received, ''), '\r\n|\r|\n'))
FROM landing_malformed;
