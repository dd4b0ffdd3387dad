-- facts.source_months: each month a source has current data for, and the forms (layouts) that
-- month arrived in. A measure that cannot be counted from one of those forms is unavailable for
-- the month (ref.measure_form_gaps), never zero.
CREATE OR REPLACE TABLE facts.source_months AS
WITH checked AS (
    SELECT source, month, _delivery_id AS delivery_id
    FROM query_table(getvariable('checked_tables'), true)
    WHERE is_current
),

deliveries AS (
    SELECT delivery_id, form FROM meta.deliveries
),

final AS (
    SELECT c.source, c.month, list(DISTINCT d.form ORDER BY d.form) AS forms, count(*) AS rows
    FROM checked AS c
    JOIN deliveries AS d USING (delivery_id)
    GROUP BY ALL
)

SELECT * FROM final ORDER BY source, month;
