-- The monthly series behind the trend charts, with each month against the same month a year earlier.
SELECT
    measure_id, area_code, area_name, month, period, value, rolling_12m, value_year_earlier, change, pct_change,
    verdict, series_break, status
FROM comparisons.measure_monthly
ORDER BY measure_id, area_code, month;
