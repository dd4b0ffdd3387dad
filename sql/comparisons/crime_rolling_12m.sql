-- comparisons.crime_rolling_12m: police recorded crime in the rolling 12 months against the
-- previous 12 months, by area (county, each district, neighbours) and offence group, with rates
-- per 1,000 residents. Each period's count and rate are given when its 12 months all have data, and
-- NULL when not: a total of 11 months is not a 12-month total. The change needs both: where either
-- period is not fully covered, every change is NULL and comparison_status says why: never a change
-- against a gap (as facts.measure_periods for the catalogue's measures). So is an offence group's count
-- in a period with a month whose form does not count the group on its own (facts.crime_groups_unrecorded:
-- sexual offences in a month of data.police.uk's files), and comparison_status says so for its row.
CREATE OR REPLACE TABLE comparisons.crime_rolling_12m AS
WITH windows AS (
    SELECT * FROM facts.source_windows WHERE source = 'police_crime'
),

monthly AS (
    SELECT * FROM facts.crime_monthly
),

areas AS (
    SELECT area_type, area_code, area_name, any_value(population) AS population
    FROM facts.areas
    GROUP BY ALL
),

offence_groups AS (
    SELECT DISTINCT offence_group FROM monthly
    UNION ALL
    SELECT 'All crime'
),

counts AS (
    SELECT
        a.area_code,
        coalesce(m.offence_group, 'All crime') AS offence_group,
        CAST(sum(m.crimes) FILTER (WHERE m.month BETWEEN w.current_first AND w.current_last) AS BIGINT) AS current_count,
        CAST(sum(m.crimes) FILTER (WHERE m.month BETWEEN w.previous_first AND w.previous_last) AS BIGINT) AS previous_count
    FROM facts.areas AS a
    JOIN monthly AS m USING (lad_code)
    CROSS JOIN windows AS w
    GROUP BY GROUPING SETS ((a.area_code, m.offence_group), (a.area_code))
),

unrecorded AS (
    -- whether a period has a month that does not count the offence group on its own
    SELECT
        g.offence_group,
        coalesce(bool_or(u.month BETWEEN w.current_first AND w.current_last), false) AS current_unrecorded,
        coalesce(bool_or(u.month BETWEEN w.previous_first AND w.previous_last), false) AS previous_unrecorded
    FROM offence_groups AS g
    CROSS JOIN windows AS w
    LEFT JOIN facts.crime_groups_unrecorded AS u USING (offence_group)
    GROUP BY g.offence_group
),

grid AS (
    -- every area x offence group, so a district with no crimes of a group shows 0, not a gap
    SELECT a.*, g.offence_group FROM areas AS a CROSS JOIN offence_groups AS g
),

final AS (
    SELECT
        g.area_type,
        g.area_code,
        g.area_name,
        g.offence_group,
        w.current_period,
        w.previous_period,
        w.current_period || ' compared with ' || w.previous_period AS comparison,
        CASE WHEN w.current_months_covered = 12 AND NOT u.current_unrecorded THEN coalesce(c.current_count, 0) END
            AS current_count,
        CASE WHEN w.previous_months_covered = 12 AND NOT u.previous_unrecorded THEN coalesce(c.previous_count, 0) END
            AS previous_count,
        CASE WHEN w.comparison_available AND NOT (u.current_unrecorded OR u.previous_unrecorded)
            THEN coalesce(c.current_count, 0) - coalesce(c.previous_count, 0) END AS change,
        CASE WHEN w.comparison_available AND NOT (u.current_unrecorded OR u.previous_unrecorded)
                  AND coalesce(c.previous_count, 0) > 0
            THEN 100.0 * (coalesce(c.current_count, 0) - c.previous_count) / c.previous_count END AS pct_change,
        g.population,
        getvariable('population_mid_year') AS population_mid_year,
        CASE WHEN w.current_months_covered = 12 AND NOT u.current_unrecorded
            THEN 1000.0 * coalesce(c.current_count, 0) / nullif(g.population, 0) END AS current_rate_per_1000,
        CASE WHEN w.previous_months_covered = 12 AND NOT u.previous_unrecorded
            THEN 1000.0 * coalesce(c.previous_count, 0) / nullif(g.population, 0) END AS previous_rate_per_1000,
        CASE
            WHEN w.current_months_covered = 12 AND u.current_unrecorded
                THEN 'not available: ' || g.offence_group || ' is not counted on its own in the latest 12 months '
                     || '(some of them came in a layout without this offence group)'
            WHEN w.comparison_available AND u.previous_unrecorded
                THEN 'comparison not available: ' || g.offence_group || ' is not counted on its own in the previous '
                     || '12 months (some of them came in a layout without this offence group)'
            ELSE w.comparison_status
        END AS comparison_status
    FROM grid AS g
    CROSS JOIN windows AS w
    LEFT JOIN counts AS c USING (area_code, offence_group)
    LEFT JOIN unrecorded AS u USING (offence_group)
)

SELECT * FROM final
ORDER BY area_type = 'county' DESC, area_type, area_name, offence_group = 'All crime' DESC, offence_group;
