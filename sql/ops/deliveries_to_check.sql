-- The deliveries an incremental build checks in one checked table: those that arrived after the last
-- build, and, if the run date moved, those with rows dated on or after the earlier run date's month
-- (a row dated after the run date is quarantined, so its outcome depends on the run date).
SELECT delivery_id FROM meta.deliveries WHERE delivery_id > $last_delivery_id
UNION
SELECT DISTINCT _delivery_id
FROM query_table($checked_table)
WHERE $previous_as_of <> getvariable('as_of')
  AND month >= date_trunc('month', least($previous_as_of, getvariable('as_of')))
ORDER BY ALL;
