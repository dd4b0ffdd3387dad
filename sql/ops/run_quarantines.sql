-- Rows quarantined in this run's deliveries, by file and reason, with one reason in words.
SELECT q.file_name, q.reject_code, count(*) AS rows, min(q.reject_reason) AS example
FROM dq.quarantined_rows AS q
JOIN meta.deliveries AS d ON d.delivery_id = q.delivery_id
WHERE d.run_id = $run_id
GROUP BY ALL
ORDER BY q.file_name, rows DESC, q.reject_code;
