INSERT INTO meta.runs (run_id, started_at, status, code_version)
VALUES ($run_id, $started_at, 'running', $code_version);
