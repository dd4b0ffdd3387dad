-- The previous file's rejected lines (store_rejects appends to these temporary tables).
DROP TABLE IF EXISTS landing_rejects;
DROP TABLE IF EXISTS landing_scans;
