-- The first run that produced a data version: the stamp its outputs carry.
SELECT run_id, started_at FROM meta.runs WHERE data_version = $data_version ORDER BY started_at, run_id LIMIT 1;
