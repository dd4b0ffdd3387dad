-- The data version the derived tables were last built from, and by which run.
SELECT data_version, run_id FROM meta.builds ORDER BY built_at DESC, run_id DESC LIMIT 1;
