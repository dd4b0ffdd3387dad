-- Keep the landing file's malformed rows with their reason; $cut_row is the row a truncated file ends in.
INSERT INTO raw.malformed_rows
SELECT
    $delivery_id,
    _row_number,
    CASE WHEN _row_number = $cut_row THEN 'truncated_row' ELSE 'malformed_row' END,
    CASE
        WHEN _row_number = $cut_row THEN 'the file ends part-way through this row (''' || line_as_received
            || '''): it was cut short, so rows after it are probably missing'
        WHEN error_type = 'MISSING COLUMNS' THEN 'the row has fewer fields than the header ('
            || regexp_extract(error_message, 'Found: ([0-9]+)', 1) || ' of '
            || regexp_extract(error_message, 'Expected Number of Columns: ([0-9]+)', 1) || '): ''' || line_as_received || ''''
        WHEN error_type = 'TOO MANY COLUMNS' THEN 'the row has more fields than the header ('
            || regexp_extract(error_message, 'Found: ([0-9]+)', 1) || ' for '
            || regexp_extract(error_message, 'Expected Number of Columns: ([0-9]+)', 1) || ' columns): '''
            || line_as_received || ''''
        WHEN error_type = 'UNQUOTED VALUE' THEN 'a quoted value in the row is never closed: ''' || line_as_received || ''''
        ELSE 'the row could not be read (' || error_message || '): ''' || line_as_received || ''''
    END,
    line_as_received
FROM landing_malformed
WHERE NOT is_blank;
