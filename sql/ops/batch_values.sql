-- The distinct values (NULLs left out, as Great Expectations leaves them out) in the columns $headers
-- of the batch's clean files: a whole batch's allowed-values and pattern checks run on these.
SELECT DISTINCT name AS header, value
FROM (
    UNPIVOT (
        SELECT COLUMNS(lambda c: list_contains($headers, c))
        FROM batch_read
        WHERE _file_path IN (SELECT _file_path FROM batch_deliveries)
    )
    ON COLUMNS(*) INTO NAME name VALUE value
)
ORDER BY header, value;
