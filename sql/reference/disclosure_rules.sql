-- ref.disclosure_rules: how each measure's counts are protected when they leave the restricted
-- county set (applied by the district marts): counts from suppress_from to suppress_to are
-- suppressed, and the rest rounded to the nearest round_to (NULL: not rounded).
CREATE OR REPLACE TABLE ref.disclosure_rules AS
WITH source AS (
    SELECT unnest(from_json(json_extract(getvariable('catalogue'), '$.disclosure_rules'),
        '[{"rule": "VARCHAR", "suppress_from": "INTEGER", "suppress_to": "INTEGER", "round_to": "INTEGER", "description": "VARCHAR"}]'),
        recursive := true)
),

final AS (
    SELECT rule, suppress_from, suppress_to, round_to, description FROM source
)

SELECT * FROM final ORDER BY rule;
