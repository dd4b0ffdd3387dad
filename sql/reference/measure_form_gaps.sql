-- ref.measure_form_gaps: the forms (layouts) of a source a measure cannot be counted from, and why
-- in words (e.g. the public data.police.uk form has no domestic abuse flag). Months delivered in
-- such a form report the measure as unavailable, never as zero.
CREATE OR REPLACE TABLE ref.measure_form_gaps AS
WITH source AS (
    SELECT unnest(from_json(json_extract(getvariable('catalogue'), '$.form_gaps'),
        '[{"measure_id": "VARCHAR", "form": "VARCHAR", "reason": "VARCHAR"}]'), recursive := true)
),

final AS (
    SELECT measure_id, form, reason FROM source
)

SELECT * FROM final ORDER BY measure_id, form;
