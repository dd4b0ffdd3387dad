-- ref.series_breaks: the series-break register (catalogue/series_breaks.yml): from which month a
-- source (or one measure, when measure_id is set) is recorded differently. Comparisons across a
-- break are not called a change. facts.series_breaks adds the breaks the data shows.
CREATE OR REPLACE TABLE ref.series_breaks AS
WITH source AS (
    SELECT unnest(from_json(json_extract(getvariable('catalogue'), '$.series_breaks'),
        '[{"source": "VARCHAR", "measure_id": "VARCHAR", "from_month": "DATE", "description": "VARCHAR"}]'),
        recursive := true)
),

final AS (
    SELECT source, measure_id, from_month, description FROM source
)

SELECT * FROM final ORDER BY source, from_month;
