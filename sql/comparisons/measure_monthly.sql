-- comparisons.measure_monthly: the monthly series of every count and rate measure for every area:
-- the month's value, the 12-month rolling total, and the month against the same month a year
-- earlier with the exact test, q-value (false discovery rate across the whole table) and verdict.
-- The trend charts and the year-on-year tables read it.
CREATE OR REPLACE TABLE comparisons.measure_monthly AS
WITH monthly AS (
    SELECT * FROM facts.measure_area_monthly
),

statistics AS (
    SELECT measure_id, area_code, CAST(month AS DATE) AS month, p_value, q_value, verdict
    FROM stats.measure_monthly
),

measures AS (
    SELECT measure_id, measure_name, aim_number, catalogue_order FROM ref.measures
),

final AS (
    SELECT
        mo.measure_id, m.measure_name, m.aim_number, mo.source,
        mo.area_type, mo.area_code, mo.area_name,
        mo.month, mo.period, mo.value, mo.status,
        mo.rolling_12m, mo.rolling_12m_period,
        mo.comparison, mo.value_year_earlier, mo.change, mo.pct_change,
        s.p_value, s.q_value, s.verdict,
        mo.series_break
    FROM monthly AS mo
    JOIN measures AS m USING (measure_id)
    LEFT JOIN statistics AS s USING (measure_id, area_code, month)
)

SELECT * FROM final
ORDER BY aim_number, measure_id, area_type = 'county' DESC, area_type, area_name, month;
