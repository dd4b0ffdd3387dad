-- The last build of the derived tables: what it was built from, and so what the next build can keep.
SELECT data_version, run_id, rules_version, as_of, last_delivery_id
FROM meta.builds
ORDER BY built_at DESC, run_id DESC
LIMIT 1;
