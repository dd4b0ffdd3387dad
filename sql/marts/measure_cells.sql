-- marts.measure_cells: every count of the measure tables a district mart publishes, with the totals
-- it adds up to (docs/disclosure.md): each month's value (comparisons.measure_monthly) and each
-- period's total (comparisons.measure_change, whose current and previous totals are also the
-- numerators and denominators of the shares). A district adds up to the county; a month adds up
-- to every period it is in, a list: its rolling 12 months and its financial year to date
-- ('rolling 12 months: current', 'financial year to date: previous', ...). How the catalogue's
-- measures add up to offence groups is added from the catalogue (csp/marts/cube.py).
CREATE OR REPLACE TABLE marts.measure_cells AS
WITH changes AS (
    SELECT * FROM comparisons.measure_change
),

windows AS (
    SELECT DISTINCT measure_id, comparison_type || ': current' AS period, current_first AS first_month,
           current_last AS last_month
    FROM changes WHERE current_first IS NOT NULL
    UNION ALL
    SELECT DISTINCT measure_id, comparison_type || ': previous', previous_first, previous_last
    FROM changes WHERE previous_first IS NOT NULL
),

area_parents AS (
    -- the county is the sum of its member districts (facts.areas has one county row per member)
    SELECT a.area_code, c.area_code AS area_parent
    FROM facts.areas AS a
    LEFT JOIN facts.areas AS c ON c.area_type = 'county' AND c.lad_code = a.lad_code
    WHERE a.area_type <> 'county'
),

monthly AS (
    SELECT area_type, area_code, measure_id, month, value FROM comparisons.measure_monthly WHERE value IS NOT NULL
),

month_parents AS (
    SELECT m.measure_id, m.area_code, m.month, list(w.period ORDER BY w.period) AS period_parent
    FROM monthly AS m
    JOIN windows AS w ON w.measure_id = m.measure_id AND m.month BETWEEN w.first_month AND w.last_month
    GROUP BY ALL
),

month_cells AS (
    SELECT m.area_type AS level, m.area_code, p.area_parent, m.measure_id AS measure,
           strftime(m.month, '%Y-%m') AS period, w.period_parent, m.value
    FROM monthly AS m
    LEFT JOIN area_parents AS p USING (area_code)
    LEFT JOIN month_parents AS w USING (measure_id, area_code, month)
),

period_cells AS (
    SELECT c.area_type AS level, c.area_code, p.area_parent, c.measure_id AS measure,
           c.comparison_type || ': current' AS period, NULL::VARCHAR[] AS period_parent, c.current_value AS value
    FROM changes AS c
    LEFT JOIN area_parents AS p USING (area_code)
    WHERE c.current_value IS NOT NULL
    UNION ALL
    SELECT c.area_type, c.area_code, p.area_parent, c.measure_id, c.comparison_type || ': previous', NULL, c.previous_value
    FROM changes AS c
    LEFT JOIN area_parents AS p USING (area_code)
    WHERE c.previous_value IS NOT NULL
),

cells AS (
    SELECT * FROM month_cells
    UNION ALL
    SELECT * FROM period_cells
),

final AS (
    SELECT level, area_code, area_parent, measure, NULL::VARCHAR AS measure_parent, period, period_parent, value
    FROM cells
)

SELECT * FROM final ORDER BY level, area_code, measure, period;
