-- The previous batch's rejected lines (store_rejects appends to these temporary tables).
DROP TABLE IF EXISTS batch_rejects;
DROP TABLE IF EXISTS batch_scans;
