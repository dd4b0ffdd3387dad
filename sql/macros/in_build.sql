-- in_build(delivery_id): whether this build checks the delivery's rows: every delivery in a full build
-- (build_deliveries NULL), else only those in build_deliveries (an incremental build, transforms/build.py).
-- Each checked model filters its raw rows with it first, so an incremental build reads only those
-- deliveries; the range lets DuckDB skip the other deliveries' row groups.
CREATE OR REPLACE MACRO in_build(delivery_id) AS
    getvariable('build_deliveries') IS NULL
    OR (delivery_id BETWEEN list_min(getvariable('build_deliveries')) AND list_max(getvariable('build_deliveries'))
        AND list_contains(getvariable('build_deliveries'), delivery_id));
