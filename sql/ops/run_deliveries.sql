-- What happened to each delivery this run received: rows received, loaded and quarantined.
SELECT source, file_name, status, rows_received, rows_loaded, rows_quarantined, coalesce(reason, '') AS reason
FROM dq.deliveries
WHERE run_id = $run_id
ORDER BY delivery_id;
