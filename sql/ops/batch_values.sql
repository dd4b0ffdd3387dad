-- The distinct values (NULLs left out, as Great Expectations leaves them out) in the contract columns
-- $columns of the deliveries $delivery_ids, landed in the table $table: a whole batch's allowed-values
-- and pattern checks run on these.
SELECT DISTINCT name AS column_name, value
FROM (
    UNPIVOT (
        SELECT COLUMNS(lambda c: list_contains($columns, c))
        FROM query_table($table)
        WHERE _delivery_id IN (SELECT unnest($delivery_ids))
    )
    ON COLUMNS(*) INTO NAME name VALUE value
)
ORDER BY column_name, value;
