-- comparisons.measure_shares: for every share measure (e.g. violent crime as a share of all crime)
-- and every area, the rolling 12 months and the financial year to date, each against the same
-- period a year earlier: numerator, denominator, share with its Wilson interval, the change in
-- percentage points, and the area's share against the county's. Periods named in words.
CREATE OR REPLACE TABLE comparisons.measure_shares AS
WITH shares AS (
    SELECT * FROM facts.share_periods
),

statistics AS (
    SELECT * FROM stats.share_periods
),

measures AS (
    SELECT measure_id, measure_name, aim_number, headline FROM ref.measures
),

final AS (
    SELECT
        s.measure_id, m.measure_name, m.aim_number, m.headline, s.source,
        s.area_type, s.area_code, s.area_name,
        s.comparison_type, s.current_period, s.previous_period, s.comparison,
        s.numerator, s.denominator,
        s.current_numerator, s.current_denominator, s.current_share, st.current_share_lower, st.current_share_upper,
        s.previous_numerator, s.previous_denominator, s.previous_share, st.previous_share_lower, st.previous_share_upper,
        s.change_points,
        st.share_vs_county,
        s.series_break, s.status,
        s.current_first, s.current_last, s.previous_first, s.previous_last,
        s.comparison_order
    FROM shares AS s
    JOIN measures AS m USING (measure_id)
    LEFT JOIN statistics AS st USING (measure_id, area_code, comparison_type)
)

SELECT * FROM final
ORDER BY aim_number, measure_id, comparison_order, area_type = 'county' DESC, area_type, area_name;
