-- For each contract column in $columns and delivery in $delivery_ids (landed in the table $table): how
-- many rows hold a value another row of the same delivery also holds (what a uniqueness expectation
-- counts as unexpected); deliveries with none are left out.
SELECT name AS column_name, _delivery_id, sum(n) AS repeating_rows
FROM (
    SELECT _delivery_id, name, value, count(*) AS n
    FROM batch_cells($table, $delivery_ids, $columns)
    GROUP BY ALL
    HAVING count(*) > 1
)
GROUP BY ALL;
