-- facts.areas: every area a comparison is reported for: the county (sum of its districts),
-- each district, and neighbours inside the force area shown on their own, with the population of
-- the mid-year the settings name (population_mid_year) from facts.population (a delivered estimate
-- where there is one, else the bundled reference figure). A fact, not reference data, because a
-- population delivery changes it.
CREATE OR REPLACE TABLE facts.areas AS
WITH districts AS (
    SELECT * FROM ref.districts
),

population AS (
    SELECT * FROM facts.population WHERE mid_year = getvariable('population_mid_year')
),

district_areas AS (
    SELECT
        CASE WHEN d.in_county THEN 'district' ELSE 'neighbour' END AS area_type,
        d.lad_code AS area_code,
        d.lad_name AS area_name,
        d.lad_code,
        p.population
    FROM districts AS d
    LEFT JOIN population AS p USING (lad_code)
),

county AS (
    -- the county is the sum of its districts: one row per member district, so facts join on lad_code.
    -- Its population only when every district has one (a delivery of a new mid-year may hold only some):
    -- a sum over some would make every county rate too high, and every district look low against it
    SELECT 'county' AS area_type, 'county' AS area_code, getvariable('area_name') AS area_name,
           d.lad_code,
           CASE WHEN count(p.population) OVER () = count(*) OVER ()
               THEN CAST(sum(p.population) OVER () AS BIGINT) END AS population
    FROM districts AS d
    LEFT JOIN population AS p USING (lad_code)
    WHERE d.in_county
)

SELECT * FROM county
UNION ALL
SELECT * FROM district_areas
ORDER BY area_type = 'county' DESC, area_type, area_name;
