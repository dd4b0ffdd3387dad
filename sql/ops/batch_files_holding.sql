-- The deliveries among $delivery_ids (landed in the table $table) holding any of $values in the
-- contract column $column: the files a failed value check of the batch's shape points at.
SELECT DISTINCT _delivery_id
FROM (
    UNPIVOT (
        SELECT _delivery_id, COLUMNS(lambda c: c = $column)
        FROM query_table($table)
        WHERE _delivery_id IN (SELECT unnest($delivery_ids))
    )
    ON COLUMNS(* EXCLUDE (_delivery_id)) INTO NAME name VALUE value
)
WHERE list_contains($values, value);
