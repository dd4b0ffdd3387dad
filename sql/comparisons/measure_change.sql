-- comparisons.measure_change: for every count and rate measure and every area (county, districts,
-- neighbours), the rolling 12 months against the previous 12 months and the financial year to
-- date against the same months a year earlier: totals, change, rates per 1,000 residents with
-- their intervals (Byar for counts of 10 or more, exact Poisson below), the area's rate against
-- the county's, and whether the change is real: the exact test's p-value, the q-value after
-- false discovery rate control across the grid of each comparison type, and the verdict the pack's
-- wording uses. Every row names its periods in words. docs/measures.md describes each column.
CREATE OR REPLACE TABLE comparisons.measure_change AS
WITH periods AS (
    SELECT * FROM facts.measure_periods
),

statistics AS (
    SELECT * FROM stats.measure_periods
),

measures AS (
    SELECT measure_id, measure_name, unit, aim_number, headline FROM ref.measures
),

final AS (
    SELECT
        p.measure_id, m.measure_name, m.unit, m.aim_number, m.headline, p.source,
        p.area_type, p.area_code, p.area_name,
        p.comparison_type, p.current_period, p.previous_period, p.comparison,
        p.current_value, p.previous_value, p.change, p.pct_change,
        p.population, p.population_mid_year,
        p.current_rate_per_1000, s.current_rate_lower, s.current_rate_upper,
        p.previous_rate_per_1000, s.previous_rate_lower, s.previous_rate_upper,
        s.rate_vs_county,
        s.p_value, s.q_value, s.verdict,
        p.series_break, p.status,
        p.current_first, p.current_last, p.previous_first, p.previous_last,
        p.period_months, p.current_months, p.previous_months,
        p.comparison_order
    FROM periods AS p
    JOIN measures AS m USING (measure_id)
    LEFT JOIN statistics AS s USING (measure_id, area_code, comparison_type)
)

SELECT * FROM final
ORDER BY aim_number, measure_id, comparison_order, area_type = 'county' DESC, area_type, area_name;
