-- ref.districts: the districts reported on, and neighbours inside the police force area
-- (in_county = false, e.g. Medway for Kent). From data/reference/districts.csv.
CREATE OR REPLACE TABLE ref.districts AS
WITH source AS (
    SELECT * FROM read_csv(getvariable('reference_dir') || '/districts.csv', all_varchar = true)
),

renamed AS (
    SELECT
        trim(lad_code) AS lad_code,
        trim(lad_name) AS lad_name,
        lower(trim(in_county)) = 'true' AS in_county
    FROM source
)

SELECT * FROM renamed ORDER BY lad_code;
