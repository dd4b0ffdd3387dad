-- ref.district_names: every way a partner may name a district (its ONS code or its name, in any
-- case, with '&' or 'and') reduced by district_key() to one key, for sources that give a district
-- rather than an LSOA (youth offending, hospital admissions by district).
CREATE OR REPLACE TABLE ref.district_names AS
WITH districts AS (
    SELECT * FROM ref.districts
),

final AS (
    SELECT DISTINCT district_key(name) AS name_key, lad_code
    FROM districts, unnest([lad_code, lad_name]) AS names(name)
)

SELECT * FROM final ORDER BY name_key;
