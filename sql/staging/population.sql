-- staging.population: delivered population estimates in use (current valid rows) for the districts
-- in the lookup; rows for other areas (a national file) are loaded in staging.population_checked
-- and not used. facts.population combines these with the bundled reference figures.
CREATE OR REPLACE TABLE staging.population AS
WITH source AS (
    SELECT * FROM staging.population_checked WHERE is_current AND lad_code IS NOT NULL
),

final AS (
    SELECT _delivery_id, _source_file, _row_number, lad_code, lad_name, mid_year, population
    FROM source
)

SELECT * FROM final;
