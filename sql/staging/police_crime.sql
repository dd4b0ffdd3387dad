-- staging.police_crime: the police crime rows the assessment counts: valid, from the current
-- delivery for their month, crimes only (data.police.uk files also carry ASB incidents, which are
-- counted under the ASB source). Rows with no location or outside the area are kept for the
-- force total but have no district. A view: nationally it is most of the checked table's 19.8 M rows,
-- which a table would write out again on every refresh.
CREATE OR REPLACE VIEW staging.police_crime AS
WITH source AS (
    SELECT * FROM staging.police_crime_checked
),

final AS (
    SELECT
        _delivery_id, _row_number, form, crime_reference, recorded_date, month, offence_group,
        police_uk_category, ho_offence_code, lsoa_code, lad_code, geography,
        -- flags exist only in the restricted form: NULL (unavailable), never false, in the public one
        domestic_abuse, hate_crime, hate_strand, vawg, knife, victim_age_band, victim_sex
    FROM source
    WHERE is_current AND NOT is_asb
)

SELECT * FROM final;
