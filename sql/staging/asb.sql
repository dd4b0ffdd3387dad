-- staging.asb: the ASB incidents the assessment counts: valid, current rows of either form (the
-- restricted extract where it holds the month, data.police.uk rows otherwise). incident_date is NULL
-- where only the month is known (data.police.uk); asb_category is NULL where it was not recorded or
-- the form has none. Rows with no location or outside the area are kept for the force total but have
-- no district. A view, as staging.police_crime is: a table would copy every current row on every refresh.
CREATE OR REPLACE VIEW staging.asb AS
WITH source AS (
    SELECT * FROM staging.asb_checked
),

final AS (
    SELECT
        _delivery_id, _row_number, form, asb_reference, month, incident_date,
        lad_code, lsoa_code, geography, asb_category
    FROM source
    WHERE is_current
)

SELECT * FROM final;
