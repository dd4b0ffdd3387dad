-- comparisons.crime_trend: monthly police recorded crime by area and offence group with the
-- 12-month rolling total. A month the source has no data for is NULL (a gap), not zero, and so is an
-- offence group in a month whose form does not count it on its own (facts.crime_groups_unrecorded); a
-- month after the latest complete one (facts.source_windows.complete_until: still arriving) is left out;
-- a rolling total is given only when all 12 of its months have data.
CREATE OR REPLACE TABLE comparisons.crime_trend AS
WITH monthly AS (
    SELECT * FROM facts.crime_monthly
),

complete AS (
    SELECT complete_until FROM facts.source_windows WHERE source = 'police_crime'
),

months_with_data AS (
    -- as every monthly series (facts.source_months): months with rows in the area's districts
    SELECT month FROM facts.source_months
    WHERE source = 'police_crime' AND month <= coalesce((SELECT complete_until FROM complete), month)
),

spine AS (
    SELECT CAST(range AS DATE) AS month
    FROM range((SELECT min(month) FROM months_with_data), (SELECT max(month) FROM months_with_data) + INTERVAL 1 MONTH, INTERVAL 1 MONTH)
),

areas AS (
    SELECT DISTINCT area_type, area_code, area_name FROM facts.areas
),

offence_groups AS (
    SELECT DISTINCT offence_group FROM monthly
    UNION ALL
    SELECT 'All crime'
),

counts AS (
    SELECT a.area_code, coalesce(m.offence_group, 'All crime') AS offence_group, m.month, CAST(sum(m.crimes) AS BIGINT) AS crimes
    FROM facts.areas AS a
    JOIN monthly AS m USING (lad_code)
    GROUP BY GROUPING SETS ((a.area_code, m.offence_group, m.month), (a.area_code, m.month))
),

unrecorded AS (
    SELECT month, offence_group FROM facts.crime_groups_unrecorded
),

grid AS (
    SELECT a.*, g.offence_group, s.month,
           s.month IN (SELECT month FROM months_with_data) AND u.month IS NULL AS has_data
    FROM areas AS a CROSS JOIN offence_groups AS g CROSS JOIN spine AS s
    LEFT JOIN unrecorded AS u ON u.offence_group = g.offence_group AND u.month = s.month
),

filled AS (
    SELECT g.area_type, g.area_code, g.area_name, g.offence_group, g.month,
           CASE WHEN g.has_data THEN coalesce(c.crimes, 0) END AS crimes
    FROM grid AS g
    LEFT JOIN counts AS c USING (area_code, offence_group, month)
),

final AS (
    SELECT
        *,
        CASE WHEN count(crimes) OVER w12 = 12 THEN CAST(sum(crimes) OVER w12 AS BIGINT) END AS rolling_12m
    FROM filled
    WINDOW w12 AS (PARTITION BY area_code, offence_group ORDER BY month ROWS BETWEEN 11 PRECEDING AND CURRENT ROW)
)

SELECT * FROM final ORDER BY area_type = 'county' DESC, area_name, offence_group, month;
