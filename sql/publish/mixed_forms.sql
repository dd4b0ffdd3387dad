-- Each source whose months compared came in more than one form (layout), in words
-- (facts.source_windows.mixed_forms), for the log.
SELECT source, mixed_forms FROM facts.source_windows WHERE mixed_forms IS NOT NULL ORDER BY source;
