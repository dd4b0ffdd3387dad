-- ref.measures: every measure of the catalogue (catalogue/measures.yml, checked by csp/catalogue.py),
-- one row each: what it counts, its unit, polarity (what an increase means), strategic aim,
-- disclosure rule, the staging column it sums (value; none: it counts rows), and for a share its
-- numerator and denominator measures; rate_note: what its rates are not (said beside them in the packs).
CREATE OR REPLACE TABLE ref.measures AS
WITH source AS (
    SELECT unnest(from_json(json_extract(getvariable('catalogue'), '$.measures'), '[{
        "measure_id": "VARCHAR", "measure_name": "VARCHAR", "description": "VARCHAR", "source": "VARCHAR",
        "source_title": "VARCHAR", "unit": "VARCHAR", "polarity": "VARCHAR", "aim": "VARCHAR",
        "aim_number": "INTEGER", "aim_name": "VARCHAR", "headline": "BOOLEAN", "seasonality": "BOOLEAN",
        "disclosure": "VARCHAR", "definition": "VARCHAR", "value": "VARCHAR", "numerator": "VARCHAR", "denominator": "VARCHAR",
        "rate_note": "VARCHAR", "catalogue_order": "INTEGER"}]'), recursive := true)
),

final AS (
    SELECT
        measure_id, measure_name, nullif(description, '') AS description, source, source_title, unit, polarity,
        aim, aim_number, aim_name, headline, seasonality, disclosure, definition, value, numerator, denominator,
        rate_note, catalogue_order
    FROM source
)

SELECT * FROM final ORDER BY catalogue_order;
