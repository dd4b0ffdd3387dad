-- facts.source_months: each month a source has current data for, the forms (layouts) the data
-- arrived in, and the reporting period the month belongs to: a quarterly source (period_months 3,
-- from its contract) dates each row at its quarter's first month, and that row covers all three.
-- A measure that cannot be counted from one of the forms is unavailable for the month
-- (ref.measure_form_gaps), never zero. Only rows placed in a district of the lookup (the county's or a
-- neighbour's) show that the area has data for a month: a file of another force's area (all its rows
-- outside) would otherwise make the month one with data, and every district's count in it 0.
-- form_keys: the same forms as 'source/form' of the deliveries they came in, the key of each form's title
-- (the variable form_titles): ASB rows of data.police.uk street files are police_crime/police_uk.
CREATE OR REPLACE TABLE facts.source_months AS
WITH checked AS (
    SELECT source, month, _delivery_id AS delivery_id, coalesce(is_asb, false) AS is_asb
    FROM (
        SELECT * FROM query_table(getvariable('checked_tables'), true)
        -- is_asb: police crime's checked table alone has it (a data.police.uk file's ASB rows); NULL in the others
        UNION ALL BY NAME SELECT NULL::BOOLEAN AS is_asb WHERE false
    )
    WHERE is_current AND lad_code IN (SELECT lad_code FROM ref.districts) AND gives_month_data(_delivery_id)
),

deliveries AS (
    SELECT delivery_id, form, source || '/' || form AS form_key FROM meta.deliveries
),

periods AS (
    SELECT
        c.source,
        c.month AS period_start,
        coalesce(getvariable('period_months')[c.source], 1) AS period_months,
        -- a data.police.uk file's ASB rows are the ASB source's (staging.asb_checked), not a form of the month's
        -- crimes: beside the force's extract holding the month's crimes, they made it a month of both forms, and
        -- every measure data.police.uk cannot give (domestic abuse, sexual offences, ...) not available
        coalesce(list(DISTINCT d.form ORDER BY d.form) FILTER (WHERE NOT c.is_asb), []) AS forms,
        coalesce(list(DISTINCT d.form_key ORDER BY d.form_key) FILTER (WHERE NOT c.is_asb), []) AS form_keys
    FROM checked AS c
    JOIN deliveries AS d USING (delivery_id)
    GROUP BY ALL
),

final AS (
    SELECT
        source,
        CAST(unnest(generate_series(period_start, period_start + to_months(period_months - 1), INTERVAL 1 MONTH)) AS DATE)
            AS month,
        period_start,
        period_months,
        forms,
        form_keys
    FROM periods
)

SELECT * FROM final ORDER BY source, month;
