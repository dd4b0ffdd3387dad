-- facts.series_breaks: every series break, from the register (ref.series_breaks, catalogue/
-- series_breaks.yml) and from the data itself: KSI counted from the DfT's adjusted severities
-- (ksi_adjusted) in months after months counted from severity as the police recorded it (a STATS19
-- release without adjusted values, caveat 17), or the other way round. Adjusted counts run some 10%
-- above recorded ones, so a comparison or trend across the change would show the method, not the roads.
-- A month's basis is its non-fatal casualties' (a death counts 1 either way); a month mixing both
-- (releases of both layouts for one month) counts as recorded, the basis it is not wholly on.
CREATE OR REPLACE TABLE facts.series_breaks AS
WITH register AS (
    SELECT source, measure_id, from_month, description FROM ref.series_breaks
),

road_months AS (
    SELECT month, bool_and(severity_basis = 'adjusted') AS adjusted
    FROM staging.road_casualties
    WHERE severity_basis IS NOT NULL AND month IS NOT NULL
    GROUP BY month
),

basis_changes AS (
    SELECT month, adjusted
    FROM (SELECT month, adjusted, lag(adjusted) OVER (ORDER BY month) AS before FROM road_months)
    WHERE adjusted <> before
),

derived AS (
    SELECT
        m.source, m.measure_id, c.month AS from_month,
        CASE WHEN c.adjusted
            THEN 'KSI counted from the DfT''s adjusted severities, after months of severity as recorded by the police (a STATS19 release without adjusted values)'
            ELSE 'KSI counted from severity as recorded by the police (a STATS19 release without adjusted values), after months of the DfT''s adjusted severities'
        END AS description
    FROM basis_changes AS c
    CROSS JOIN ref.measures AS m
    WHERE m.source = 'road_casualties' AND m.value = 'ksi_adjusted'
),

breaks AS (
    SELECT * FROM register
    UNION ALL
    SELECT * FROM derived
),

final AS (
    SELECT
        source, measure_id, from_month, description,
        'Series break from ' || strftime(from_month, '%B %Y') || ': ' || description AS note
    FROM breaks
)

SELECT * FROM final ORDER BY source, from_month, measure_id;
