-- Rows quarantined in the deliveries this run reports (ops/run_deliveries), by file and reason code, with the
-- first such row's number: for the flow run's artifacts, which Prefect keeps in its own database, outside the restricted warehouse and
-- outputs, and shows in its UI. So no reason in words: a reason quotes the value as sent (a crime reference,
-- or a victim's name typed into the wrong field); the data-quality report gives each (caveat 110).
SELECT q.file_name, q.reject_code, count(*) AS rows, min(q.row_number) AS first_row
FROM dq.quarantined_rows AS q
JOIN meta.deliveries AS d ON d.delivery_id = q.delivery_id
WHERE d.run_id IN (SELECT run_id FROM reported_runs($run_id))
GROUP BY ALL
ORDER BY q.file_name, rows DESC, q.reject_code;
