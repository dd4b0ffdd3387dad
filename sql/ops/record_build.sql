-- Run inside the build's transaction: the derived tables and this record change together.
INSERT INTO meta.builds (run_id, built_at, data_version, rules_version, as_of, last_delivery_id)
SELECT $run_id, $built_at, $data_version, $rules_version, getvariable('as_of'), max(delivery_id)
FROM meta.deliveries;
