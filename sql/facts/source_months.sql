-- facts.source_months: each month a source has current data for, the forms (layouts) the data
-- arrived in, and the reporting period the month belongs to: a quarterly source (period_months 3,
-- from its contract) dates each row at its quarter's first month, and that row covers all three.
-- A measure that cannot be counted from one of the forms is unavailable for the month
-- (ref.measure_form_gaps), never zero. The rows that show a month has data: month_rows() (in a district of
-- the lookup; a data.police.uk file's ASB rows are the ASB source's, not a form of the month's crimes).
-- form_keys: the same forms as 'source/form' of the deliveries they came in, the key of each form's title
-- (the variable form_titles): ASB rows of data.police.uk street files are police_crime/police_uk.
-- A police crime month's forms are those of the area's force (the settings' police_force): another force's
-- data.police.uk file (British Transport Police's, or a neighbour's with a row in the area) is counted beside
-- them (caveat 65), in the offence groups its form has, and does not make the month one of two layouts, every
-- measure its form cannot give unavailable; only a month with no row of the area's force takes their forms.
CREATE OR REPLACE TABLE facts.source_months AS
WITH checked AS (
    SELECT source, month, delivery_id FROM month_rows(getvariable('checked_tables'))
),

another_force AS (
    SELECT DISTINCT _delivery_id AS delivery_id
    FROM (
        -- a checked table without the columns (a test's) has no other force's rows
        SELECT * FROM query_table(getvariable('checked_tables'), true)
        UNION ALL BY NAME SELECT NULL::VARCHAR AS form, NULL::VARCHAR AS falls_within WHERE false
    )
    WHERE source = 'police_crime' AND form = 'police_uk' AND falls_within <> getvariable('police_force') AND is_current
),

deliveries AS (
    SELECT
        delivery_id, form, source || '/' || form AS form_key,
        delivery_id IN (SELECT delivery_id FROM another_force) AS another_force
    FROM meta.deliveries
),

periods AS (
    SELECT
        c.source,
        c.month AS period_start,
        coalesce(getvariable('period_months')[c.source], 1) AS period_months,
        bool_and(d.another_force) AS only_another_force,
        list(DISTINCT d.form ORDER BY d.form) FILTER (WHERE NOT d.another_force) AS own_forms,
        list(DISTINCT d.form_key ORDER BY d.form_key) FILTER (WHERE NOT d.another_force) AS own_form_keys,
        list(DISTINCT d.form ORDER BY d.form) AS all_forms,
        list(DISTINCT d.form_key ORDER BY d.form_key) AS all_form_keys
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
        CASE WHEN only_another_force THEN all_forms ELSE own_forms END AS forms,
        CASE WHEN only_another_force THEN all_form_keys ELSE own_form_keys END AS form_keys
    FROM periods
)

SELECT * FROM final ORDER BY source, month;
