-- Each share measure in each area, with Wilson intervals and the change in percentage points.
SELECT
    measure_id, comparison_type, area_type, area_code, area_name, current_period, previous_period,
    current_numerator, current_denominator, current_share, current_share_lower, current_share_upper,
    previous_share, change_points, share_vs_county, series_break, status
FROM comparisons.measure_shares
ORDER BY measure_id, comparison_order, area_type = 'county' DESC, area_type, area_name;
