-- For each delivery among $delivery_ids (landed in the table $table) holding any of $values in the
-- contract column $column: how many of its rows hold one. A failed value check of the batch's shape
-- names its unexpected values; these are the files it points at, and how much of each it found.
SELECT _delivery_id, count(*) AS unexpected_rows
FROM batch_cells($table, $delivery_ids, [$column])
WHERE list_contains($values, value)
GROUP BY _delivery_id;
