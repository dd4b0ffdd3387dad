-- facts.asb_monthly: ASB incidents by district x month x category (NULL where not recorded, as in
-- every data.police.uk row) and form, so a measure can tell "no category" from "no incidents".
CREATE OR REPLACE TABLE facts.asb_monthly AS
WITH source AS (
    SELECT * FROM staging.asb WHERE lad_code IS NOT NULL
),

final AS (
    SELECT lad_code, month, form, asb_category, count(*) AS incidents
    FROM source
    GROUP BY ALL
)

SELECT * FROM final ORDER BY lad_code, month, form, asb_category NULLS LAST;
