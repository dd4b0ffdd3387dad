-- dq.balance: rows received, loaded and quarantined by source, and the check that nothing was lost.
-- Every delivery must balance (rows received = rows loaded + rows quarantined); if one does not, the
-- build fails here, naming it, and the previous build stays in use: a lost row is a fault in the
-- pipeline, never something to publish past.
CREATE OR REPLACE TABLE dq.balance AS
WITH deliveries AS (
    SELECT * FROM dq.deliveries
),

unbalanced AS (
    SELECT string_agg(source || ' ' || file_name || ' (delivery ' || delivery_id || '): ' || rows_received
                      || ' received, ' || rows_loaded || ' loaded, ' || rows_quarantined || ' quarantined', '; '
                      ORDER BY delivery_id) AS deliveries
    FROM deliveries
    WHERE NOT balanced
),

final AS (
    SELECT
        source,
        count(*) AS deliveries,
        count(*) FILTER (WHERE status = 'quarantined') AS deliveries_quarantined,
        sum(rows_received) AS rows_received,
        sum(rows_loaded) AS rows_loaded,
        sum(rows_quarantined) AS rows_quarantined,
        bool_and(balanced) AS balanced
    FROM deliveries
    GROUP BY ALL
)

SELECT
    f.* EXCLUDE (balanced),
    CASE WHEN u.deliveries IS NULL THEN f.balanced
         ELSE error('rows lost: deliveries do not balance: ' || u.deliveries) END AS balanced
FROM final AS f
CROSS JOIN unbalanced AS u
ORDER BY source;
