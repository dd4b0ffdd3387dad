-- The tables of an attached database with their columns and types, to tell whether two mart files
-- hold the same tables (csp/marts/publish.py, _keep_identical_database).
SELECT
    table_name,
    string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index) AS columns
FROM duckdb_columns()
WHERE database_name = $database
GROUP BY table_name
ORDER BY table_name;
