-- The monthly series behind the trend charts, with each month against the same month a year earlier;
-- period_months says whether a value is a month's (1) or a quarter's (3, dated at its first month).
WITH periods AS (
    SELECT source, max(period_months) AS period_months FROM facts.source_months GROUP BY source
)

SELECT
    m.measure_id, m.area_code, m.area_name, m.month, m.period, coalesce(p.period_months, 1) AS period_months,
    m.value, m.rolling_12m, m.value_year_earlier, m.change, m.pct_change, m.verdict, m.series_break, m.status
FROM comparisons.measure_monthly AS m
LEFT JOIN periods AS p USING (source)
ORDER BY m.measure_id, m.area_code, m.month;
