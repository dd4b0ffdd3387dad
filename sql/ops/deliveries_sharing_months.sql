-- Deliveries outside an incremental build whose checked rows share a month with the rows it
-- produced (temp table `increment`): which delivery is current for a month depends on every
-- delivery holding it, so they are checked again with the build.
SELECT DISTINCT _delivery_id
FROM query_table($checked_table)
WHERE month IN (SELECT DISTINCT month FROM increment)
  AND NOT list_contains($build_deliveries, _delivery_id)
ORDER BY ALL;
