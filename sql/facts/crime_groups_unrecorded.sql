-- facts.crime_groups_unrecorded: the police crime months in which an offence group is not counted on its
-- own, so that its count is unknown, not zero: data.police.uk's form has violence against the person and
-- sexual offences only together, as violence and sexual offences, and the restricted extract never has
-- that group (ref.offence_groups: the groups each form's offences map to). A month that came in both forms
-- lacks what either lacks. comparisons.crime_trend and comparisons.crime_rolling_12m leave these counts
-- blank, as facts.measure_area_monthly does a measure's month in a form it cannot be counted from: shown
-- as 0 they read as every sexual offence gone in a month of public data (-100%).
CREATE OR REPLACE TABLE facts.crime_groups_unrecorded AS
WITH month_forms AS (
    SELECT DISTINCT month, unnest(forms) AS form FROM facts.source_months WHERE source = 'police_crime'
),

offence_groups AS (
    SELECT DISTINCT offence_group FROM ref.offence_groups
),

final AS (
    SELECT mf.month, g.offence_group
    FROM month_forms AS mf
    CROSS JOIN offence_groups AS g
    WHERE NOT EXISTS (SELECT 1 FROM ref.offence_groups AS o WHERE o.form = mf.form AND o.offence_group = g.offence_group)
    GROUP BY ALL
)

SELECT * FROM final ORDER BY month, offence_group;
