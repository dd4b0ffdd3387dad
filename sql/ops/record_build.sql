-- Run inside the build's transaction: the derived tables and this record change together.
INSERT INTO meta.builds (run_id, built_at, data_version) VALUES ($run_id, $built_at, $data_version);
