-- The clean files of the batch holding any of $values in the column $header: the files a failed value
-- check of the batch's shape points at.
SELECT DISTINCT _file_path
FROM (
    UNPIVOT (
        SELECT _file_path, COLUMNS(lambda c: c = $header)
        FROM batch_read
        WHERE _file_path IN (SELECT _file_path FROM batch_deliveries)
    )
    ON COLUMNS(* EXCLUDE (_file_path)) INTO NAME name VALUE value
)
WHERE list_contains($values, value);
