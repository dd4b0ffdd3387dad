-- comparisons.measure_seasonal_profile: for every count and rate measure and area, each calendar
-- month's average and its index against a typical month (1.25 = 25% busier than average), with the
-- peak month(s) marked, over the same months as the trend. Given only with at least 24 months (two of
-- each calendar month) and an average of at least 10 events a month; other series have blank averages.
CREATE OR REPLACE TABLE comparisons.measure_seasonal_profile AS
WITH profiles AS (
    SELECT * EXCLUDE (first_month, last_month),
           CAST(first_month AS DATE) AS first_month, CAST(last_month AS DATE) AS last_month
    FROM stats.seasonal_profile
),

areas AS (
    SELECT DISTINCT area_type, area_code, area_name FROM facts.areas
),

measures AS (
    SELECT measure_id, measure_name, aim_number, seasonality FROM ref.measures
),

final AS (
    SELECT
        p.measure_id, m.measure_name, m.aim_number, m.seasonality,
        a.area_type, a.area_code, a.area_name,
        strftime(p.first_month, '%B %Y') || ' – ' || strftime(p.last_month, '%B %Y') AS profile_period,
        p.months_used,
        CAST(p.month_of_year AS INTEGER) AS month_of_year,
        strftime(make_date(2000, CAST(p.month_of_year AS INTEGER), 1), '%B') AS month_name,
        p.mean_count AS mean_value,
        p."index" AS seasonal_index,
        p.is_peak
    FROM profiles AS p
    JOIN measures AS m USING (measure_id)
    JOIN areas AS a USING (area_code)
)

SELECT * FROM final
ORDER BY aim_number, measure_id, area_type = 'county' DESC, area_type, area_name, month_of_year;
