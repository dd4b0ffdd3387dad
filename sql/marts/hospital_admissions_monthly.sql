-- marts.hospital_admissions_monthly: injury admissions by area x month, assault (ICD-10 X85-Y09) or
-- other injury, for the county and every district, as the district marts publish them (before
-- disclosure control: HES rules apply to every count). A month the source has no data for is not a
-- row; a district with no admissions of a kind in a month with data is 0.
CREATE OR REPLACE TABLE marts.hospital_admissions_monthly AS
WITH monthly AS (
    SELECT * FROM facts.hospital_admissions_monthly
),

areas AS (
    SELECT DISTINCT area_type, area_code, area_name FROM facts.areas
),

causes AS (
    SELECT * FROM (VALUES (true, 'Assault (ICD-10 X85-Y09)'), (false, 'Other injury')) AS c(is_assault, cause)
),

months AS (
    SELECT DISTINCT month FROM staging.hospital_admissions
),

counts AS (
    SELECT a.area_code, m.month, m.is_assault, CAST(sum(m.admissions) AS BIGINT) AS admissions
    FROM facts.areas AS a
    JOIN monthly AS m USING (lad_code)
    GROUP BY ALL
),

final AS (
    SELECT a.area_type, a.area_code, a.area_name, m.month, c.cause, coalesce(n.admissions, 0) AS admissions
    FROM areas AS a
    CROSS JOIN months AS m
    CROSS JOIN causes AS c
    LEFT JOIN counts AS n ON n.area_code = a.area_code AND n.month = m.month AND n.is_assault = c.is_assault
)

SELECT * FROM final ORDER BY area_type = 'county' DESC, area_name, month, cause;
