-- Rows with nothing in any field (a spreadsheet's blank trailing rows) hold no data: they leave the
-- landing table and their numbers are returned, to be counted on the delivery.
DELETE FROM landing
WHERE _row_number IN (
    SELECT _row_number FROM landing
    WHERE trim(concat_ws('', *COLUMNS(* EXCLUDE (_row_number)))) = ''
)
RETURNING _row_number;
