-- ref.population: residents by district and mid-year (ONS mid-year estimates).
CREATE OR REPLACE TABLE ref.population AS
WITH source AS (
    SELECT * FROM read_csv(getvariable('reference_dir') || '/population_mid_year.csv', all_varchar = true)
),

renamed AS (
    SELECT
        trim(lad_code) AS lad_code,
        CAST(mid_year AS INTEGER) AS mid_year,
        CAST(population AS BIGINT) AS population
    FROM source
)

SELECT * FROM renamed ORDER BY lad_code, mid_year;
