-- comparisons.measure_trend: the direction of each count and rate measure's monthly series, for
-- every area, over every month up to the latest complete month (from the latest series break, if
-- any): rising / falling / no clear trend (seasonal Mann-Kendall, so a seasonal peak is not read as
-- a trend) or too short to say (fewer than 36 months), with the typical change per year. trend_period
-- runs from the first to the last month with a value (as the trend chart does), not to the window end:
-- a month the measure lacks (a public-form month for domestic abuse) is not in it. A measure with no
-- usable data has a row with no direction and a status saying why: no data at all, or no month with a
-- value (every month in a form it cannot be counted from), which is not a series too short to say.
-- trend_layouts: when the months with a value came in more than one form (layout; facts.source_months),
-- each form's title and what that means for the trend, e.g. 'two layouts of the data — the force's
-- restricted extract and data.police.uk's public files; where the two differ in level, part of the trend may
-- be the layout's, not a real change' (facts.source_windows.mixed_forms says it of the months compared, with
-- their months). NULL with one form.
CREATE OR REPLACE TABLE comparisons.measure_trend AS
WITH trends AS (
    SELECT * EXCLUDE (first_month, last_month),
           CAST(first_month AS DATE) AS first_month, CAST(last_month AS DATE) AS last_month
    FROM stats.measure_trend
),

rolling AS (
    SELECT measure_id, area_type, area_code, area_name, status
    FROM facts.measure_periods
    WHERE comparison_type = 'rolling 12 months'
),

measures AS (
    SELECT measure_id, measure_name, aim_number, source FROM ref.measures
),

trend_forms AS (
    -- each form of the months a trend is measured over (those with a value), from its first month
    SELECT t.measure_id, t.area_code, f.form_key, min(mo.month) AS first_month
    FROM trends AS t
    JOIN facts.measure_area_monthly AS mo
        ON mo.measure_id = t.measure_id AND mo.area_code = t.area_code
        AND mo.month BETWEEN t.first_month AND t.last_month AND mo.value IS NOT NULL
    JOIN facts.source_months AS sm ON sm.source = mo.source AND sm.month = mo.month
    CROSS JOIN unnest(sm.form_keys) AS f (form_key)
    GROUP BY ALL
),

layouts AS (
    SELECT
        measure_id,
        area_code,
        layouts_words(titles, 'the trend') AS trend_layouts
    FROM (
        SELECT measure_id, area_code,
               list(coalesce(getvariable('form_titles')[form_key], form_key) ORDER BY first_month, form_key) AS titles
        FROM trend_forms
        GROUP BY ALL
    )
    WHERE len(titles) > 1
),

final AS (
    SELECT
        r.measure_id, m.measure_name, m.aim_number, m.source,
        r.area_type, r.area_code, r.area_name,
        strftime(t.first_month, '%B %Y') || ' – ' || strftime(t.last_month, '%B %Y') AS trend_period,
        t.first_month, t.last_month, t.months_used,
        CASE WHEN t.months_used > 0 THEN t.direction END AS direction, t.p_value, t.slope_per_year,
        CASE WHEN t.starts_at_break THEN 'measured from the latest series break' END AS series_break,
        l.trend_layouts,
        CASE WHEN t.measure_id IS NULL OR t.months_used = 0 THEN r.status ELSE 'available' END AS status
    FROM rolling AS r
    JOIN measures AS m USING (measure_id)
    LEFT JOIN trends AS t USING (measure_id, area_code)
    LEFT JOIN layouts AS l USING (measure_id, area_code)
)

SELECT * FROM final
ORDER BY aim_number, measure_id, area_type = 'county' DESC, area_type, area_name;
