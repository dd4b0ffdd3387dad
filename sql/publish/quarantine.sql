-- Rows quarantined, by source and reason, for the data-quality annex (one example reason each: the
-- reasons of a code differ only in the value quoted). Not the rows of a file filed in the wrong folder:
-- they count where they loaded (dq.deliveries' loaded_in), as the annex's delivery counts leave it out.
SELECT
    q.source,
    q.reject_code,
    count(*) AS rows,
    count(DISTINCT q.file_name) AS deliveries,
    min(q.reject_reason) AS example_reason
FROM dq.quarantined_rows AS q
WHERE q.delivery_id NOT IN (SELECT delivery_id FROM dq.deliveries WHERE loaded_in IS NOT NULL)
GROUP BY ALL
ORDER BY q.source, rows DESC, q.reject_code;
