-- batch_cells(tbl, delivery_ids, columns): one row per non-NULL value (NULLs left out, as Great
-- Expectations leaves them out) of the contract columns `columns` of the deliveries `delivery_ids`
-- landed in the table `tbl`, with its delivery and column: the cells a batch's shape is read from
-- (batch_values.sql, batch_repeats.sql, batch_unexpected.sql, batch_non_null.sql).
CREATE OR REPLACE TEMP MACRO batch_cells(tbl, delivery_ids, columns) AS TABLE
UNPIVOT (
    SELECT _delivery_id, COLUMNS(lambda c: list_contains(columns, c))
    FROM query_table(tbl)
    -- a filter, not `IN (SELECT ...)`: DuckDB pushes a filter below the view's expressions (a semi join it
    -- does not), so that only the batch's rows are read as checked, not every delivery's before them
    WHERE list_contains(delivery_ids, _delivery_id)
)
ON COLUMNS(* EXCLUDE (_delivery_id)) INTO NAME name VALUE value;
