-- facts.share_periods: every share measure (numerator / denominator, two measures of one source)
-- for every area over the same two comparisons as facts.measure_periods. A share is given only when
-- both its parts are; its status and series break are its parts'. The Wilson intervals are added
-- in comparisons.measure_shares.
CREATE OR REPLACE TABLE facts.share_periods AS
WITH shares AS (
    SELECT measure_id, source, numerator, denominator FROM ref.measures WHERE unit = 'share'
),

periods AS (
    SELECT * FROM facts.measure_periods
),

paired AS (
    SELECT
        s.measure_id, s.source, s.numerator, s.denominator,
        n.area_type, n.area_code, n.area_name, n.comparison_type, n.comparison_order,
        n.current_first, n.current_last, n.previous_first, n.previous_last,
        n.current_period, n.previous_period, n.comparison,
        n.current_value AS current_numerator,
        d.current_value AS current_denominator,
        n.previous_value AS previous_numerator,
        d.previous_value AS previous_denominator,
        CASE
            WHEN n.status LIKE 'not available%' THEN n.status
            WHEN d.status LIKE 'not available%' THEN d.status
            WHEN n.status <> 'available' THEN n.status
            ELSE d.status
        END AS status,
        CASE
            WHEN n.series_break IS NULL THEN d.series_break
            WHEN d.series_break IS NULL OR d.series_break = n.series_break THEN n.series_break
            ELSE n.series_break || '; ' || d.series_break
        END AS series_break
    FROM shares AS s
    JOIN periods AS n ON n.measure_id = s.numerator
    JOIN periods AS d ON d.measure_id = s.denominator AND d.area_code = n.area_code AND d.comparison_type = n.comparison_type
),

final AS (
    SELECT
        measure_id, source, area_type, area_code, area_name, comparison_type, comparison_order,
        current_first, current_last, previous_first, previous_last, current_period, previous_period, comparison,
        numerator, denominator,
        current_numerator, current_denominator,
        current_numerator / nullif(current_denominator, 0) AS current_share,
        previous_numerator, previous_denominator,
        previous_numerator / nullif(previous_denominator, 0) AS previous_share,
        100.0 * (current_numerator / nullif(current_denominator, 0) - previous_numerator / nullif(previous_denominator, 0))
            AS change_points,
        series_break,
        status
    FROM paired
)

SELECT * FROM final
ORDER BY measure_id, comparison_order, area_type = 'county' DESC, area_type, area_name;
