-- batch_cells(tbl, delivery_ids, columns): one row per non-NULL value (NULLs left out, as Great
-- Expectations leaves them out) of the contract columns `columns` of the deliveries `delivery_ids`
-- landed in the table `tbl`, with its delivery and column: the cells a batch's shape is read from
-- (batch_values.sql, batch_repeats.sql, batch_unexpected.sql, batch_non_null.sql).
CREATE OR REPLACE TEMP MACRO batch_cells(tbl, delivery_ids, columns) AS TABLE
UNPIVOT (
    SELECT _delivery_id, COLUMNS(lambda c: list_contains(columns, c))
    FROM query_table(tbl)
    WHERE _delivery_id IN (SELECT unnest(delivery_ids))
)
ON COLUMNS(* EXCLUDE (_delivery_id)) INTO NAME name VALUE value;
