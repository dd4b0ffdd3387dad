-- The landing file's rows rejected for a quoted value not closed on its line (landing_malformed), each
-- with the byte its line begins at in the file and the lines the rows after it take up (landing_row_lines).
-- readers.py takes these from the file's lines: what is left is the lines the open quote ran on over, read
-- into that one row rather than as rows.
WITH lines_of_rows AS (
    SELECT * FROM landing_row_lines
    WHERE _row_number > (SELECT min(_row_number) FROM landing_malformed WHERE quote_not_closed)
)

SELECT
    q._row_number,
    q._byte_position,
    coalesce((SELECT sum(r.lines) FROM lines_of_rows AS r WHERE r._row_number > q._row_number), 0) AS lines_after
FROM landing_malformed AS q
WHERE q.quote_not_closed AND NOT q.is_blank
ORDER BY q._row_number;
