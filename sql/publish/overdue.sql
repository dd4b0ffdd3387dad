-- The sources whose latest complete month is older than their contract expects at the run's as-of
-- date (facts.source_windows.overdue), for the log and the data-quality report.
SELECT source, overdue FROM facts.source_windows WHERE overdue IS NOT NULL ORDER BY source;
