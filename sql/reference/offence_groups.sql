-- ref.offence_groups: each form's offence naming mapped to police recorded crime offence groups.
CREATE OR REPLACE TABLE ref.offence_groups AS
WITH source AS (
    SELECT * FROM read_csv(getvariable('reference_dir') || '/offence_groups.csv', all_varchar = true)
),

renamed AS (
    SELECT
        trim(form) AS form,
        trim(source_value) AS source_value,
        trim(offence_group) AS offence_group,
        trim(police_uk_category) AS police_uk_category
    FROM source
)

SELECT * FROM renamed;
