-- The lines of the landing file its rows account for (landing_row_lines; blank rows too: run before they are
-- dropped). readers.py compares them with the file's own lines, less its header and its empty lines (DuckDB
-- skips those), to find lines DuckDB neither read nor rejected.
SELECT coalesce(sum(lines), 0) AS lines FROM landing_row_lines;
