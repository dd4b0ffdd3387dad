-- staging.asb_checked: every ASB row with its outcome, from both forms of the source:
--   restricted: Kent Police / district council extracts landed in raw.asb, checked in
--               staging.asb_restricted_checked (incrementally, one delivery at a time);
--   police_uk:  data.police.uk "Anti-social behaviour" rows, which arrive inside police_crime street
--               files. They are landed and checked once, with their police_crime delivery (whose
--               balance counts them), and shown here from staging.police_crime_checked.
-- A month held by a current restricted delivery uses the restricted rows: the data.police.uk rows
-- of that month are the same incidents with less detail, so they are not current here.
-- A view, as staging.police_crime is: nationally the data.police.uk ASB rows are 2.1 M, which a table
-- would copy again on every refresh (3.8 s of a one-new-month refresh) though only a new month's
-- deliveries changed. Both halves are already checked tables; what is left to work out when the
-- view is read is the override, from the restricted table's few current months.
CREATE OR REPLACE VIEW staging.asb_checked AS
WITH restricted AS (
    SELECT * FROM staging.asb_restricted_checked
),

restricted_months AS (
    SELECT DISTINCT month FROM restricted WHERE is_current
),

police_uk AS (
    SELECT * FROM staging.police_crime_checked WHERE is_asb
),

renamed AS (
    -- the data.police.uk rows in the ASB columns
    SELECT
        'asb' AS source, _delivery_id, _source_file, _checksum, _row_number, form,
        crime_reference AS asb_reference,
        NULL::DATE AS incident_date,   -- data.police.uk gives the month only
        month,
        NULL AS asb_category,          -- and no category
        lsoa_code, lad_code, geography, reject_code, reject_reason,
        is_current AND month NOT IN (SELECT month FROM restricted_months) AS is_current,
        delivery_status, delivery_reason
    FROM police_uk
),

final AS (
    SELECT
        source, _delivery_id, _source_file, _checksum, _row_number, form,
        asb_reference, incident_date, month, asb_category, lsoa_code, lad_code, geography,
        reject_code, reject_reason, is_current, delivery_status, delivery_reason
    FROM restricted
    UNION ALL
    SELECT * FROM renamed
)

SELECT * FROM final;
