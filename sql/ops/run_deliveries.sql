-- What happened to each delivery this run received: rows received, loaded and quarantined. For the flow
-- run's artifacts (kept by Prefect, outside the restricted warehouse and outputs): a quarantined delivery's
-- reason may quote its values as sent, so the artifact points to the data-quality report instead (caveat 110).
SELECT source, file_name, status, rows_received, rows_loaded, rows_quarantined,
       CASE WHEN status = 'quarantined' THEN 'its reason: the data-quality report' ELSE '' END AS reason
FROM dq.deliveries
WHERE run_id = $run_id
ORDER BY delivery_id;
