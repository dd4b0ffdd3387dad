-- For each contract column in $columns and delivery in $delivery_ids (landed in the table $table): how
-- many rows hold a value another row of the same delivery also holds (what a uniqueness expectation
-- counts as unexpected); deliveries with none are left out.
SELECT name AS column_name, _delivery_id, sum(n) AS repeating_rows
FROM (
    SELECT _delivery_id, name, value, count(*) AS n
    FROM (
        UNPIVOT (
            SELECT _delivery_id, COLUMNS(lambda c: list_contains($columns, c))
            FROM query_table($table)
            WHERE _delivery_id IN (SELECT unnest($delivery_ids))
        )
        ON COLUMNS(* EXCLUDE (_delivery_id)) INTO NAME name VALUE value
    )
    GROUP BY ALL
    HAVING count(*) > 1
)
GROUP BY ALL;
