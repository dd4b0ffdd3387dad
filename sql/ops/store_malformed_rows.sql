-- Keep the landing file's malformed rows with their reason; $cut_row is the row a truncated file ends in,
-- $unclosed_row the row whose quoted value, never closed on its line, took the lines after it
-- (readers.py): kept as its own line, the one the quote opens on (DuckDB's text of it runs on over the
-- other rows' lines, cut at 10,000 characters). A line too long to read is quoted in its first 100
-- characters (DuckDB keeps 10,000 of it). Every row has a reason in words, whatever DuckDB reports of it.
INSERT INTO raw.malformed_rows
SELECT
    $delivery_id,
    _row_number,
    CASE WHEN _row_number = $cut_row THEN 'truncated_row' ELSE 'malformed_row' END,
    coalesce(CASE
        WHEN _row_number = $cut_row THEN 'the file ends part-way through this row (''' || line_as_received
            || '''): it was cut short, so rows after it are probably missing'
        WHEN _row_number = CAST($unclosed_row AS BIGINT) THEN 'a quoted value in the row is never closed on its '
            || 'line, so the lines after it were read into it, not as rows: '''
            || regexp_extract(line_as_received, '^[^\r\n]*') || ''''
        WHEN error_type = 'MISSING COLUMNS' THEN 'the row has fewer fields than the header ('
            || regexp_extract(error_message, 'Found: ([0-9]+)', 1) || ' of '
            || regexp_extract(error_message, 'Expected Number of Columns: ([0-9]+)', 1) || '): ''' || line_as_received || ''''
        WHEN error_type = 'TOO MANY COLUMNS' THEN 'the row has more fields than the header ('
            || regexp_extract(error_message, 'Found: ([0-9]+)', 1) || ' for '
            || regexp_extract(error_message, 'Expected Number of Columns: ([0-9]+)', 1) || ' columns): '''
            || line_as_received || ''''
        WHEN error_type = 'UNQUOTED VALUE' THEN 'a quoted value in the row is never closed: ''' || line_as_received || ''''
        WHEN error_type = 'LINE SIZE OVER MAXIMUM' THEN 'the line is longer than a row may be ('
            || coalesce(format('{:,}', TRY_CAST(regexp_extract(error_message, 'Actual Size: *([0-9]+)', 1) AS BIGINT))
                        || ' bytes; ', '')
            || coalesce('the most is ' || format('{:,}', TRY_CAST(regexp_extract(error_message, 'line size of ([0-9]+)', 1)
                                                             AS BIGINT)), 'more than DuckDB''s maximum line size')
            || '), so it could not be read: it begins ''' || left(line_as_received, 100) || '…'''
        ELSE 'the row could not be read (' || coalesce(error_message, CAST(error_type AS VARCHAR), 'no reason given')
            || '): ''' || line_as_received || ''''
    END, 'the row could not be read'),
    CASE WHEN _row_number = CAST($unclosed_row AS BIGINT) THEN regexp_extract(line_as_received, '^[^\r\n]*')
         ELSE line_as_received END
FROM landing_malformed
WHERE NOT is_blank;
