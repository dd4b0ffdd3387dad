-- For each column in $headers and clean file of the batch: how many rows hold a value another row of
-- the same file also holds (what a uniqueness expectation counts as unexpected); files with none are
-- left out.
SELECT name AS header, _file_path, sum(n) AS repeating_rows
FROM (
    SELECT _file_path, name, value, count(*) AS n
    FROM (
        UNPIVOT (
            SELECT _file_path, COLUMNS(lambda c: list_contains($headers, c))
            FROM batch_read
            WHERE _file_path IN (SELECT _file_path FROM batch_deliveries)
        )
        ON COLUMNS(* EXCLUDE (_file_path)) INTO NAME name VALUE value
    )
    GROUP BY ALL
    HAVING count(*) > 1
)
GROUP BY ALL;
