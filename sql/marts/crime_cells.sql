-- marts.crime_cells: every police crime count any district mart publishes, at every level, as one
-- long table with the totals each count adds up to. Disclosure control (docs/disclosure.md) runs on
-- these cells once for the whole county, so a hidden count is hidden in every mart alike and
-- secondary suppression sees every total the count could be worked out from:
--   area_code -> area_parent        LSOA -> its district -> the county (neighbours like Medway: none)
--   measure -> measure_parent       offence group -> All crime (and, from the catalogue, every
--                                   measure made of offence groups; and data.police.uk's Violence and
--                                   sexual offences, a public total no mart shows: csp/marts/cube.py)
--   period -> period_parent         month ('YYYY-MM') -> the 12-month window it is in
--                                   ('rolling 12 months: current' / 'previous', as marts.measure_cells)
-- A parent is a relation only where it is itself a cell: no LSOA 'All crime' or LSOA 12-month
-- count is published, so LSOA cells add up only to their district's month.
CREATE OR REPLACE TABLE marts.crime_cells AS
WITH windows AS (
    SELECT * FROM facts.source_windows WHERE source = 'police_crime'
),

area_parents AS (
    -- the county is the sum of its member districts (facts.areas has one county row per member)
    SELECT a.area_code, c.area_code AS area_parent
    FROM facts.areas AS a
    LEFT JOIN facts.areas AS c ON c.area_type = 'county' AND c.lad_code = a.lad_code
    WHERE a.area_type <> 'county'
),

lsoa_cells AS (
    SELECT 'lsoa' AS level, lsoa_code AS area_code, lad_code AS area_parent, offence_group AS measure,
           strftime(month, '%Y-%m') AS period, month, crimes AS value
    FROM facts.crime_lsoa_monthly
),

monthly_cells AS (
    SELECT t.area_type AS level, t.area_code, p.area_parent, t.offence_group AS measure,
           strftime(t.month, '%Y-%m') AS period, t.month, t.crimes AS value
    FROM comparisons.crime_trend AS t
    LEFT JOIN area_parents AS p USING (area_code)
    WHERE t.crimes IS NOT NULL
),

months AS (
    SELECT * FROM lsoa_cells
    UNION ALL
    SELECT * FROM monthly_cells
),

month_cells AS (
    SELECT
        m.level, m.area_code, m.area_parent, m.measure, m.period,
        CASE
            WHEN m.month BETWEEN w.current_first AND w.current_last THEN 'rolling 12 months: current'
            WHEN m.month BETWEEN w.previous_first AND w.previous_last THEN 'rolling 12 months: previous'
        END AS period_parent,
        m.value
    FROM months AS m
    CROSS JOIN windows AS w
),

window_cells AS (
    SELECT r.area_type AS level, r.area_code, p.area_parent, r.offence_group AS measure,
           'rolling 12 months: current' AS period, NULL AS period_parent, r.current_count AS value
    FROM comparisons.crime_rolling_12m AS r
    LEFT JOIN area_parents AS p USING (area_code)
    WHERE r.current_count IS NOT NULL
    UNION ALL
    SELECT r.area_type, r.area_code, p.area_parent, r.offence_group, 'rolling 12 months: previous', NULL, r.previous_count
    FROM comparisons.crime_rolling_12m AS r
    LEFT JOIN area_parents AS p USING (area_code)
    WHERE r.previous_count IS NOT NULL
),

cells AS (
    SELECT * FROM month_cells
    UNION ALL
    SELECT * FROM window_cells
),

final AS (
    SELECT
        level, area_code, area_parent, measure,
        CASE WHEN measure <> 'All crime' THEN 'All crime' END AS measure_parent,
        period, period_parent,
        CAST(value AS BIGINT) AS value
    FROM cells
)

SELECT * FROM final ORDER BY level, area_code, measure, period;
