SELECT count(*) > 0 FROM duckdb_tables() WHERE schema_name = $schema AND table_name = $name;
