-- The direction of each measure's longer-term trend in each area (seasonal Mann-Kendall).
SELECT measure_id, area_code, area_name, trend_period, months_used, direction, p_value, slope_per_year, series_break,
       trend_layouts, status
FROM comparisons.measure_trend
ORDER BY measure_id, area_code;
