-- The deliveries among $delivery_ids (landed in the table $table) holding any of $values in the
-- contract column $column: the files a failed value check of the batch's shape points at.
SELECT DISTINCT _delivery_id
FROM batch_cells($table, $delivery_ids, [$column])
WHERE list_contains($values, value);
