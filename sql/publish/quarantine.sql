-- Rows quarantined, by source and reason, for the data-quality annex (one example reason each: the
-- reasons of a code differ only in the value quoted).
SELECT
    source,
    reject_code,
    count(*) AS rows,
    count(DISTINCT file_name) AS deliveries,
    min(reject_reason) AS example_reason
FROM dq.quarantined_rows
GROUP BY ALL
ORDER BY source, rows DESC, reject_code;
