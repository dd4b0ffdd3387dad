-- The first run that produced a data version and finished (or this run, if none did): the stamp its
-- outputs carry. A run that died after producing it does not count: its outputs may never have been published.
-- as_of: its run date (the data version holds it too), NULL for a run recorded before it was kept.
SELECT run_id, started_at, as_of
FROM meta.runs
WHERE data_version = $data_version AND (status = 'succeeded' OR run_id = $run_id)
ORDER BY started_at, run_id
LIMIT 1;
