-- The distinct values in the contract columns $columns of the deliveries $delivery_ids, landed in
-- the table $table: a whole batch's allowed-values and pattern checks run on these.
SELECT DISTINCT name AS column_name, value
FROM batch_cells($table, $delivery_ids, $columns)
ORDER BY column_name, value;
