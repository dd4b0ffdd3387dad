-- The series breaks (the register, catalogue/series_breaks.yml, and those the data shows:
-- facts.series_breaks) for the data-quality annex.
SELECT source, measure_id, from_month, description
FROM facts.series_breaks
ORDER BY source, from_month;
