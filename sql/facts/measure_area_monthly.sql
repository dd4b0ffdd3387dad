-- facts.measure_area_monthly: every count and rate measure for every area (the county as the sum
-- of its districts, each district, and neighbours such as Medway on their own) and every month from
-- its source's first month of data to its last. A month with data gives a value (0 when nothing
-- matched); a month without data, or delivered in a form the measure cannot be counted from, gives
-- NULL and says why. With each month: the same month a year earlier, the 12-month rolling total
-- (only when all 12 months have a value), and any series break between the two compared months.
CREATE OR REPLACE TABLE facts.measure_area_monthly AS
WITH measures AS (
    SELECT measure_id, source FROM ref.measures WHERE unit <> 'share'
),

source_months AS (
    SELECT source, month, forms FROM facts.source_months
),

monthly AS (
    SELECT measure_id, lad_code, month, value FROM facts.measure_monthly
),

areas AS (
    SELECT DISTINCT area_type, area_code, area_name FROM ref.areas
),

spine AS (
    -- every month from the source's first month of data to its last, so a gap is a row, not a hole
    SELECT source, CAST(unnest(generate_series(min(month), max(month), INTERVAL 1 MONTH)) AS DATE) AS month
    FROM source_months
    GROUP BY source
),

form_gaps AS (
    SELECT m.measure_id, sm.month, string_agg(g.reason, '; ' ORDER BY g.form) AS gap
    FROM measures AS m
    JOIN source_months AS sm USING (source)
    JOIN ref.measure_form_gaps AS g ON g.measure_id = m.measure_id AND list_contains(sm.forms, g.form)
    GROUP BY ALL
),

area_values AS (
    SELECT mo.measure_id, a.area_code, mo.month, sum(mo.value) AS value
    FROM monthly AS mo
    JOIN ref.areas AS a USING (lad_code)
    GROUP BY ALL
),

counted AS (
    SELECT
        m.measure_id, m.source, a.area_type, a.area_code, a.area_name, s.month,
        CASE WHEN sm.month IS NOT NULL AND fg.gap IS NULL THEN coalesce(v.value, 0) END AS value,
        CASE
            WHEN sm.month IS NULL THEN 'no data for this month'
            WHEN fg.gap IS NOT NULL THEN 'not available: ' || fg.gap
            ELSE 'available'
        END AS status
    FROM measures AS m
    JOIN spine AS s USING (source)
    CROSS JOIN areas AS a
    LEFT JOIN source_months AS sm ON sm.source = m.source AND sm.month = s.month
    LEFT JOIN form_gaps AS fg ON fg.measure_id = m.measure_id AND fg.month = s.month
    LEFT JOIN area_values AS v ON v.measure_id = m.measure_id AND v.area_code = a.area_code AND v.month = s.month
),

breaks AS (
    SELECT m.measure_id, b.from_month, b.note
    FROM measures AS m
    JOIN ref.series_breaks AS b ON b.source = m.source AND coalesce(b.measure_id, m.measure_id) = m.measure_id
),

compared AS (
    SELECT
        c.*,
        y.value AS value_year_earlier,
        (SELECT string_agg(b.note, '; ' ORDER BY b.from_month) FROM breaks AS b
         WHERE b.measure_id = c.measure_id AND b.from_month > c.month - INTERVAL 12 MONTH AND b.from_month <= c.month)
            AS series_break,
        -- the first month of the series segment this month belongs to (after the latest break), for trends
        (SELECT max(b.from_month) FROM breaks AS b WHERE b.measure_id = c.measure_id AND b.from_month <= c.month)
            AS segment_start
    FROM counted AS c
    LEFT JOIN counted AS y
        ON y.measure_id = c.measure_id AND y.area_code = c.area_code AND y.month = c.month - INTERVAL 12 MONTH
),

final AS (
    SELECT
        measure_id, source, area_type, area_code, area_name, month,
        strftime(month, '%B %Y') AS period,
        value,
        status,
        value_year_earlier,
        value - value_year_earlier AS change,
        CASE WHEN value_year_earlier > 0 THEN 100.0 * (value - value_year_earlier) / value_year_earlier END AS pct_change,
        strftime(month, '%B %Y') || ' compared with ' || strftime(month - INTERVAL 12 MONTH, '%B %Y') AS comparison,
        CASE WHEN count(value) OVER w12 = 12 THEN sum(value) OVER w12 END AS rolling_12m,
        strftime(month - INTERVAL 11 MONTH, '%B %Y') || ' – ' || strftime(month, '%B %Y') AS rolling_12m_period,
        series_break,
        segment_start
    FROM compared
    WINDOW w12 AS (PARTITION BY measure_id, area_code ORDER BY month ROWS BETWEEN 11 PRECEDING AND CURRENT ROW)
)

SELECT * FROM final ORDER BY measure_id, area_type = 'county' DESC, area_type, area_name, month;
