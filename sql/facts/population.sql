-- facts.population: residents by district and mid-year, the denominator of every rate: a delivered
-- estimate (data/raw/population/) supersedes the bundled reference figure
-- (data/reference/population_mid_year.csv) for the district and mid-year it holds. `origin` says
-- which file each figure came from.
CREATE OR REPLACE TABLE facts.population AS
WITH reference AS (
    SELECT lad_code, mid_year, population, 'reference: population_mid_year.csv' AS origin FROM ref.population
),

delivered AS (
    SELECT lad_code, mid_year, population, 'delivery ' || _delivery_id || ': ' || _source_file AS origin
    FROM staging.population
),

final AS (
    SELECT * FROM delivered
    UNION ALL
    SELECT * FROM reference AS r
    WHERE NOT EXISTS (SELECT 1 FROM delivered AS d WHERE d.lad_code = r.lad_code AND d.mid_year = r.mid_year)
)

SELECT * FROM final ORDER BY lad_code, mid_year;
