-- marts.hospital_cells: every hospital admissions count a district mart publishes, with the totals it
-- adds up to (as marts.crime_cells; docs/disclosure.md): district -> county. No all-injury total or
-- period total is published, so there are no other lines.
CREATE OR REPLACE TABLE marts.hospital_cells AS
WITH admissions AS (
    SELECT * FROM marts.hospital_admissions_monthly
),

area_parents AS (
    SELECT a.area_code, c.area_code AS area_parent
    FROM facts.areas AS a
    LEFT JOIN facts.areas AS c ON c.area_type = 'county' AND c.lad_code = a.lad_code
    WHERE a.area_type <> 'county'
),

final AS (
    SELECT
        h.area_type AS level, h.area_code, p.area_parent, h.cause AS measure, NULL::VARCHAR AS measure_parent,
        strftime(h.month, '%Y-%m') AS period, NULL::VARCHAR AS period_parent, h.admissions AS value
    FROM admissions AS h
    LEFT JOIN area_parents AS p USING (area_code)
)

SELECT * FROM final ORDER BY level, area_code, measure, period;
