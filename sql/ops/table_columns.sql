-- Every table of the warehouse with its columns: which staging tables a template model can use.
SELECT table_schema || '.' || table_name AS table_name, list(column_name ORDER BY ordinal_position) AS columns
FROM information_schema.columns
GROUP BY ALL
ORDER BY table_name;
