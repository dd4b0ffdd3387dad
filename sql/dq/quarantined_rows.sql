-- dq.quarantined_rows: every quarantined row of every source, where it came from and why.
CREATE OR REPLACE TABLE dq.quarantined_rows AS
WITH checked AS (
    SELECT source, _delivery_id AS delivery_id, _source_file AS file_name, _row_number AS row_number,
           reject_code, reject_reason
    FROM query_table(getvariable('checked_tables'), true) AS c
    -- once, from its own source's checked table (data.police.uk ASB rows also show in staging.asb_checked)
    SEMI JOIN meta.deliveries AS d ON d.delivery_id = c._delivery_id AND d.source = c.source
    WHERE reject_code IS NOT NULL
),

unrecognised AS (
    SELECT d.source, u._delivery_id, d.file_name, u._row_number, 'unrecognised_layout', d.reason
    FROM raw.unrecognised_rows AS u
    JOIN meta.deliveries AS d ON d.delivery_id = u._delivery_id
),

malformed AS (
    SELECT d.source, m._delivery_id, d.file_name, m._row_number, m.reject_code, m.reject_reason
    FROM raw.malformed_rows AS m
    JOIN meta.deliveries AS d ON d.delivery_id = m._delivery_id
)

SELECT * FROM checked
UNION ALL
SELECT * FROM unrecognised
UNION ALL
SELECT * FROM malformed
ORDER BY delivery_id, row_number;
