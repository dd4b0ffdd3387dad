-- The lines of the landing file its rows account for: a row read (blank rows too: run before they are dropped)
-- takes one line plus the line breaks inside its quoted values, a malformed row the lines it was received as.
-- readers.py compares them with the file's own lines, less its header and its empty lines (DuckDB skips those),
-- to find lines DuckDB neither read nor rejected.
WITH row_text AS (
    SELECT concat_ws(' ', *COLUMNS(* EXCLUDE (_row_number))) AS text FROM landing
)

SELECT
    (SELECT count(*) + coalesce(sum(len(regexp_extract_all(text, '\r\n|\r|\n')))
                                FILTER (WHERE regexp_matches(text, '[\r\n]')), 0) FROM row_text)
    + (SELECT coalesce(sum(1 + len(regexp_extract_all(coalesce(line_as_received, ''), '\r\n|\r|\n'))), 0)
       FROM landing_malformed) AS lines;
