-- For each delivery among $delivery_ids (landed in the table $table) and contract column in $columns:
-- how many of its rows hold a value (what Great Expectations counts a share of unexpected values
-- among); a column a delivery holds no value in is left out.
SELECT _delivery_id, name AS column_name, count(*) AS non_null
FROM batch_cells($table, $delivery_ids, $columns)
GROUP BY ALL;
