-- What happened to each delivery this run received: rows received, loaded and quarantined. For the flow
-- run's artifacts (kept by Prefect, outside the restricted warehouse and outputs): a quarantined delivery's
-- reason may quote its values as sent, so the artifact points to the data-quality report instead (caveat 110).
-- With them, the deliveries of runs since the last one that succeeded which stopped before publishing (killed,
-- Ctrl-C, failed): they landed, nothing lost, but no run said so; this one publishes them (`earlier_run`).
SELECT d.source, d.file_name, d.status, d.rows_received, d.rows_loaded, d.rows_quarantined,
       CASE WHEN d.status = 'quarantined' THEN 'its reason: the data-quality report' ELSE '' END AS reason,
       d.run_id <> $run_id AS earlier_run
FROM dq.deliveries AS d
WHERE d.run_id IN (SELECT run_id FROM reported_runs($run_id))
ORDER BY d.delivery_id;
