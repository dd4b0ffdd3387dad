-- ref.measure_sources: each source the catalogue knows, its staging table and the months of the
-- year its 12-month comparison window may end in (empty: any; KSI: June, because of its lag).
CREATE OR REPLACE TABLE ref.measure_sources AS
WITH source AS (
    SELECT unnest(from_json(json_extract(getvariable('catalogue'), '$.sources'),
        '[{"source": "VARCHAR", "title": "VARCHAR", "staging_table": "VARCHAR", "window_end_months": ["INTEGER"]}]'),
        recursive := true)
),

final AS (
    SELECT source, title, staging_table, window_end_months FROM source
)

SELECT * FROM final ORDER BY source;
