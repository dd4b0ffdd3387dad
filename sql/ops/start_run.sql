INSERT INTO meta.runs (run_id, started_at, status, code_version, as_of)
VALUES ($run_id, $started_at, 'running', $code_version, $as_of);
