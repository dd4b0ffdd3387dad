-- The series-break register (catalogue/series_breaks.yml) for the data-quality annex.
SELECT source, measure_id, from_month, description
FROM ref.series_breaks
ORDER BY source, from_month;
