-- The seasonal profile of each measure the catalogue marks for one (seasonality), in each area.
SELECT measure_id, area_code, area_name, profile_period, months_used, month_of_year, month_name, mean_value,
       seasonal_index, is_peak
FROM comparisons.measure_seasonal_profile
WHERE seasonality
ORDER BY measure_id, area_code, month_of_year;
