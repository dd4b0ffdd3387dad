-- Each count or rate measure in each area: the latest 12 months and the financial year to date
-- against the same periods a year earlier, with rates, intervals, the change test and its verdict.
SELECT
    measure_id, comparison_type, area_type, area_code, area_name, current_period, previous_period,
    current_value, previous_value, change, pct_change, population, population_mid_year,
    current_rate_per_1000, current_rate_lower, current_rate_upper, previous_rate_per_1000, rate_vs_county,
    p_value, q_value, verdict, series_break, status
FROM comparisons.measure_change
ORDER BY measure_id, comparison_order, area_type = 'county' DESC, area_type, area_name;
